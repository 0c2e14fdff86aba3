from broadsheet.classifiers.duplicates import (
    NEAR_DUPLICATE_BITS,
    exact_hash,
    hamming,
    is_fingerprinted,
    nearest,
    simhash,
)

FLOOD = (
    "I earn three hundred pounds every single day working from my kitchen table and "
    "you can too, the method is simple and the council cannot stop you from doing it"
)


def test_exact_hash_ignores_case_spacing_and_tricks():
    assert exact_hash("The Council LIED  to us") == exact_hash("the c0uncil lied to us!")
    assert exact_hash("The council lied to us") != exact_hash("The council lied to them")


def test_simhash_is_stable_and_64_bit():
    assert simhash(FLOOD) == simhash(FLOOD)
    assert 0 <= simhash(FLOOD) < 2**64
    assert simhash("") == 0


def test_near_duplicates_are_close_and_different_texts_far():
    edited = FLOOD.replace("kitchen", "dining") + " !!!"
    other = (
        "The harbour vote was rushed through with three days of notice and the residents "
        "of Eastgate were never given the ballot they were promised by the mayor"
    )
    assert hamming(simhash(FLOOD), simhash(edited)) <= NEAR_DUPLICATE_BITS
    assert hamming(simhash(FLOOD), simhash(other)) > NEAR_DUPLICATE_BITS * 2


def test_hamming_and_nearest():
    assert hamming(0b1011, 0b0001) == 2
    assert nearest(0b1111, [0b0000, 0b0111]) == 1
    assert nearest(5, []) == 65


def test_short_texts_are_not_fingerprinted():
    assert not is_fingerprinted("Well said.")
    assert is_fingerprinted(FLOOD)
