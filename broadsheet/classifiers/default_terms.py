"""Default term lists shipped with Broadsheet: a short, non-exhaustive starting point.

This is moderation data, not prose: it names slurs, insults, profanity, coded
hate and spam phrases so that the checks can find them. Moderators replace and
extend it from the moderation pages (stored in the database); these defaults
seed that list and serve the pure checks and the evaluation when nothing else
is configured. Weights were set before tuning and left alone; the thresholds in
`scoring.Thresholds` were tuned on the tuning part of the evaluation set only.

Levels: "banned" rejects the comment; "suspect" adds `weight` to its category's
score (several suspect terms add up, see `scoring`). `aimed=True` terms count
only when aimed at a person ("you're pathetic"), not at an idea ("a pathetic plan").
"""

from .wordlists import Category, Level, Term

A, H, P, S = Category.ABUSE, Category.HATE, Category.PROFANITY, Category.SPAM
BANNED = Level.BANNED


def _terms(category: Category, weight: float, words: str, **options: object) -> list[Term]:
    """One Term per line of `words` (blank lines ignored)."""
    return [
        Term(line.strip(), category, weight=weight, **options)  # type: ignore[arg-type]
        for line in words.strip().splitlines()
        if line.strip()
    ]


# Threats and incitement to self-harm: rejected.
THREATS = _terms(
    A,
    1.0,
    """
    kill yourself
    kys
    go kill yourself
    neck yourself
    hope you die
    hope you get cancer
    get cancer
    die in a fire
    i know where you live
    i will find you
    you should be shot
    should be hanged
    deserve to be shot
    put a bullet in
    """,
    level=BANNED,
)

# Slurs for a people, a faith, a sexuality, a disability: rejected. Words that
# also have an innocent meaning in local news (a "dyke" is an embankment, a
# "fag" a cigarette, a "chink" in armour) are only suspect.
SLURS = _terms(
    H,
    1.0,
    """
    nigger
    nigga
    kike
    spic
    wetback
    gook
    raghead
    towelhead
    sand nigger
    paki
    pikey
    gyppo
    tranny
    trannies
    faggot
    retard
    retarded
    mongoloid
    untermensch
    subhuman
    """,
    level=BANNED,
)
AMBIGUOUS_SLURS = _terms(H, 0.5, "fag\ndyke\nchink\nyid\ncoon\nshemale")

# Insults: nouns that name a person.
INSULTS = _terms(
    A,
    0.6,
    """
    idiot
    moron
    imbecile
    cretin
    halfwit
    dimwit
    nitwit
    dumbass
    dipshit
    dickhead
    knobhead
    bellend
    tosser
    wanker
    prick
    twat
    scumbag
    scum
    lowlife
    loser
    muppet
    numpty
    pillock
    buffoon
    simpleton
    degenerate
    bitch
    whore
    slut
    piece of shit
    piece of garbage
    piece of trash
    waste of space
    waste of oxygen
    brain dead
    braindead
    shut up
    shut your mouth
    shut your trap
    stfu
    get a brain
    get a life
    go back to your basement
    crawl back under
    nobody asked you
    parasite
    lying sack
    sack of shit
    sack of garbage
    your mum
    toad
    git
    dickwad
    fvckwit
    fuckwit
    tosspot
    attention seeker
    people like you are
    your mother
    """,
)
WEAK_INSULTS = _terms(
    A,
    0.35,
    "clown\nclowns\nfool\njoke of a\nsnowflake\nsheep\ntroll\nliar\ngrow up\nweirdo\n"
    "keyboard warrior",
)
# Adjectives that insult only when aimed at someone.
AIMED = _terms(
    A,
    0.6,
    """
    stupid
    dumb
    thick
    ignorant
    pathetic
    ugly
    fat
    brainless
    clueless
    worthless
    useless
    disgusting
    vile
    deluded
    delusional
    deranged
    mental
    sad little
    a disgrace
    spineless
    sanctimonious
    slimy
    two faced
    self important
    gutless
    snivelling
    dimmest
    cow
    dummy
    an embarrassment
    """,
    aimed=True,
)

PROFANITY = _terms(
    P,
    0.7,
    """
    fuck*
    motherfuck*
    shit*
    bullshit*
    cunt*
    cocksucker
    bastard
    bollocks
    wank*
    asshole
    arsehole
    arse
    ass
    dick
    twat*
    piss off
    screw you
    fvck*
    fck*
    phuck*
    fcuk*
    """,
)
MILD_PROFANITY = _terms(P, 0.2, "crap\ndamn\nbloody\nhell\nbugger\nsod off\npissed")

# Coded hate: dog whistles and tropes about a people or a family name. Each one
# alone is a reason for a moderator to look (weights below 1 add up).
CODED_HATE = _terms(
    H,
    0.7,
    """
    great replacement
    replace us
    replacing us
    replacement of whites
    white genocide
    kalergi
    jewish question
    the goyim
    goyim
    goy
    shekels
    happy merchant
    zog
    zionist occupied
    synagogue of satan
    khazar*
    small hats
    rothschild*
    globalist bankers
    international bankers
    international jewry
    rootless cosmopolitan*
    dual loyalty
    1488
    14 words
    globohomo
    cultural marxism
    cultural marxist*
    dindu*
    despite being 13
    13 percent
    groomer*
    third worlders
    breed like rabbits
    breed like rats
    go back to where you came from
    go back to your own country
    go back to your country
    send them all back
    send them back
    we all know who
    you know who
    the tribe
    same tribe
    same surnames
    international financiers
    control the banks
    controls the banks
    own the banks
    control the media
    controls the media
    control the press
    own the media
    population transfer
    population replacement
    replace the people
    replacing the people
    replacement migration
    first loyalty
    nose for profit
    particular nose
    we all know which
    who run the banks
    run the central banks
    that surname
    those surnames
    certain surnames
    look up the surname
    their only homeland
    no homeland
    im not racist but
    """,
)
WEAK_CODED_HATE = _terms(
    H,
    0.35,
    """
    globalist*
    soros
    elites
    invaders
    noticing
    clown world
    do your own research
    you people
    those people
    these people
    certain people
    davos crowd
    money men
    our own folk
    our own kind
    the natives
    imported labour
    imported voters
    imported people
    just asking questions
    puppet masters
    pulling the strings
    88
    engineers and doctors
    same community that
    we know what it really is
    """,
)

SPAM = _terms(
    S,
    0.45,
    """
    work from home
    working from home and
    earn money
    make money online
    making money online
    extra income
    passive income
    per day from home
    per week from home
    click here
    click the link
    click on the link
    visit my profile
    check my profile
    check out my
    dm me
    message me
    whatsapp
    telegram
    contact him
    contact her
    contact us
    bitcoin
    btc
    crypto
    cryptocurrency
    forex
    binary options
    trading expert
    account manager
    investment opportunity
    guaranteed returns
    guaranteed profit
    100 guaranteed
    limited offer
    limited time offer
    free gift
    free trial
    buy now
    order now
    discount code
    promo code
    viagra
    cialis
    casino
    betting tips
    payday loan
    sugar daddy
    hot singles
    dating site
    seo services
    sign up
    signup bonus
    spell caster
    love spell
    recovery expert
    hiring now
    job offer
    get paid
    quick cash
    best price
    subscribe to my
    my channel
    my website
    my site
    money back
    register now
    apply now
    call now
    call today
    order today
    free quote
    no obligation
    free delivery
    free shipping
    rental yield
    check eligibility
    special offer
    exclusive offer
    no experience needed
    link in my bio
    """,
)

# Everyday words that spam leans on; alone they are only a hint.
WEAK_SPAM = _terms(S, 0.25, "cheap\ncheapest\nguaranteed\nloans\ncoupon\nfollowers\nhacker")

DEFAULT_TERMS: tuple[Term, ...] = tuple(
    THREATS
    + SLURS
    + AMBIGUOUS_SLURS
    + INSULTS
    + WEAK_INSULTS
    + AIMED
    + PROFANITY
    + MILD_PROFANITY
    + CODED_HATE
    + WEAK_CODED_HATE
    + SPAM
    + WEAK_SPAM
)

# Whole words that a prefix term would wrongly catch.
DEFAULT_EXCEPTIONS: tuple[str, ...] = (
    "shiitake",
    "shitake",
    "wankel",
    "cocktail",
    "khazarian",  # historical studies use it too; the trope is "khazars"
)

# Domains whose links are rejected: spam landing pages and link shorteners hide
# where they go. Moderators edit the real list; these are placeholders of the kind.
DEFAULT_BLOCKED_DOMAINS: tuple[str, ...] = ("bit.ly", "tinyurl.com", "cutt.ly", "rb.gy", "t.me")
