"""The demo newsroom's stories, all invented, set in the invented harbour city of Carrow.

Each story carries the vocabulary its readers argue with (`topics.py`).
"""

from dataclasses import dataclass

from .topics import BRIDGE, CONGESTION, HEAT_PUMPS, HOSPITAL, POLICE, RENT, SCHOOLS, STADIUM, Topic


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    dek: str
    body: str
    tags: tuple[str, ...]
    author: int  # index into the newsroom's authors
    hours_ago: float  # negative: scheduled in the future
    comments: int
    topic: Topic | None = None
    draft: bool = False


STORIES: tuple[Story, ...] = (
    Story(
        slug="harbour-bridge-closed-after-inspectors-find-cracked-pier",
        title="Harbour Bridge closed indefinitely after inspectors find cracks in a main pier",
        dek=(
            "Eighty thousand daily crossings diverted with two hours' notice; "
            "a 2019 inspection flagged the same pier."
        ),
        tags=("Breaking", "Transport", "City Hall"),
        author=0,
        hours_ago=7,
        comments=1150,
        topic=BRIDGE,
        body="""\
The Harbour Bridge, which carries about 80,000 vehicles a day between the south bank and the \
city centre, was closed to all traffic at 6 a.m. on Wednesday after engineers found cracks in \
the concrete of its third pier, the city's transport department said.

Police turned drivers back at both ends of the span while buses were sent over the Millrace \
crossing, six kilometres upstream. By mid-morning the ring road was backed up past the Tannery \
junction, and the ferry terminal on the south bank reported queues of several hundred people.

> "We are not going to gamble with anyone's life to save a few minutes of anybody's commute,"
> Deputy Mayor Ruth Okonjo-Hale said at a briefing outside City Hall. "The bridge stays shut
> until the engineers tell me, in writing, that it is safe."

The department said it did not yet know how long the closure would last. An inspection in 2019,
[published on the city's website](https://carrow.example.org/transport/reports/harbour-bridge-2019),
rated the same pier "fair, monitor annually" and recommended repairs estimated at $14 million, \
which were deferred in two successive budgets.

What the city has announced so far:

- extra ferries every ten minutes from 6 a.m. to 10 p.m., free of charge;
- bus routes 4, 12 and 31 diverted over the Millrace crossing;
- pedestrians and cyclists barred from the span as well as cars;
- a public meeting on Friday evening at the Southbank Community Hall.

Tom Varga, who runs a bakery on Quay Street, said half of his morning staff had not made it in. \
"I found out from a text my nephew sent me," he said. "Nobody from the city told the businesses \
anything."

The opposition leader on the council, Graham Petrossian, called for an independent review of \
why the 2019 recommendations were not acted on. The transport department said a full structural \
assessment would take "at least three weeks".

*This is a developing story and will be updated.*
""",
    ),
    Story(
        slug="school-board-votes-for-four-day-week",
        title="School board votes five to four for a four-day week from next autumn",
        dek=(
            "Fridays become optional activity days; "
            "the board says it is the only way to keep teachers."
        ),
        tags=("Education", "City Hall"),
        author=1,
        hours_ago=30,
        comments=80,
        topic=SCHOOLS,
        body="""\
Carrow's public schools will teach four longer days a week from next September after the school \
board voted five to four on Tuesday night, ending a meeting that ran past midnight and drew more \
than three hundred parents.

The district says the change will save about $3.1 million a year in transport and running costs, \
but its main argument is staffing: 212 teaching posts are unfilled, and an exit survey found that \
more than half of departing teachers named workload as the reason.

> "We can keep a five-day week with a supply teacher in every third classroom, or we can have a
> four-day week with our own teachers in front of the children," the board chair, Annika Lindqvist,
> told the meeting. "Those are the real choices."

Under the plan:

1. the school day grows by about 40 minutes, Monday to Thursday;
2. Fridays become optional activity days run with the parks department, free for every pupil;
3. school lunches continue on Fridays for children who are entitled to them.

Parents' groups were split. Dami Adeyemi, who leads a parents' network in Eastfield, said the \
Friday programme was "a childcare promise written on the back of an envelope" and asked how many \
places it would actually have. Others at the meeting applauded the vote.

The teachers' union welcomed the decision but said it would watch "very closely" that the longer \
days did not simply become longer working weeks. The [board's minutes and the staffing \
report](https://carrow.example.org/schools/board-minutes/four-day-week) are online.
""",
    ),
    Story(
        slug="council-approves-old-town-congestion-charge",
        title="Council approves a $9 congestion charge for the old town",
        dek=(
            "A two-year trial begins in the spring; "
            "residents get a discount and the money goes to buses."
        ),
        tags=("Transport", "City Hall"),
        author=2,
        hours_ago=52,
        comments=64,
        topic=CONGESTION,
        body="""\
Drivers entering Carrow's old town between 7 a.m. and 7 p.m. on weekdays will pay $9 a day from \
the spring, after the council approved a two-year congestion charge trial by 31 votes to 24.

The city projects a 23 percent drop in traffic inside the charging zone and about $28 million a \
year in revenue, which by law must be spent on public transport. Mayor Deborah Quayle called it \
"the biggest change to how this city moves in a generation".

> "Market Square has had the worst air in the region for eleven years running," she said. "We
> have tried asking nicely."

The traders' association, led by Sami Haddad, said footfall in the old town was already down \
since the pandemic and warned that some shops would not survive the trial. It wants the charge \
to start at 10 a.m. instead.

Who pays what, according to the [consultation \
documents](https://carrow.example.org/transport/congestion-charge/consultation):

- residents inside the zone pay 10 percent of the charge;
- blue badge holders, buses, taxis and emergency vehicles are exempt;
- delivery vans pay the full charge but only once a day, however many trips they make.

A second vote after two years will decide whether the charge becomes permanent.
""",
    ),
    Story(
        slug="emergency-waits-record-nurses-ballot",
        title="Emergency waits at St Brannoc's hit a record as nurses ballot on a walkout",
        dek="The average wait reached eleven hours in October; the union says 340 posts are empty.",
        tags=("Health",),
        author=0,
        hours_ago=76,
        comments=52,
        topic=HOSPITAL,
        body="""\
Patients arriving at the emergency department of St Brannoc's Hospital waited an average of \
eleven hours to be admitted or discharged in October, the longest since records began, according \
to [figures published on Monday](https://health.example.org/carrow/emergency-waits-monthly).

The nurses' union opened a ballot on a walkout the same day. It says 340 nursing posts at the \
hospital are vacant and calls the health board's 4 percent pay offer "a cut dressed as a rise".

> "Every night I walk past people on trolleys in the corridor, and every night I know there is
> not a bed for them upstairs," said Abena Mensah, a nurse of nineteen years who sits on the
> union's branch committee.

The hospital trust's chief executive, Luis Ferreira, said the main cause of the waits was not \
staffing but patients who are well enough to leave and have nowhere to go. On Monday, he said, \
a fifth of the hospital's beds were taken by such patients, and 19 ambulances were queued \
outside at one point.

The union says that if the ballot passes:

- emergency and intensive care will be staffed as on a public holiday;
- the first walkout would last 48 hours;
- at least two weeks' notice would be given.

The health board said it remained "open to talks" and would publish its winter plan this month.
""",
    ),
    Story(
        slug="heat-pump-grant-six-weeks-of-money-left",
        title="Heat pump grant has six weeks of money left, energy department admits",
        dek="Fourteen thousand applications in a year; installers warn of a stop-start market.",
        tags=("Energy", "Climate"),
        author=1,
        hours_ago=100,
        comments=29,
        topic=HEAT_PUMPS,
        body="""\
The $7,500 grant for replacing gas boilers with heat pumps will run out in about six weeks at the \
current rate of applications, the energy department told a committee of the regional assembly on \
Thursday.

More than 14,000 households have applied since the scheme opened last winter, far above the \
department's estimate of 9,000. A typical installation in Carrow costs about $16,000 before the \
grant.

> "The scheme has been a victim of its own success," the energy minister, Cathal Brannigan, told
> the committee, adding that its future was "under review".

Installers said the uncertainty was the worst outcome. Efua Osei, who runs a four-person firm on \
the hill terraces, said she had taken on two apprentices in the spring. "Now I don't know if I \
have work for them in March," she said.

The department said applications already submitted would be honoured. Its guidance on \
[who is eligible](https://energy.example.org/grants/heat-pumps/eligibility) has not changed. \
Critics on the committee pointed out that:

- most grants went to owner-occupied detached and semi-detached homes;
- fewer than one in twenty went to rented homes;
- the scheme does not pay for insulation, which older terraces often need first.
""",
    ),
    Story(
        slug="fishergate-bakery-wins-national-award",
        title="Fishergate bakery's rye loaf wins the national bread award",
        dek=(
            "The queue was round the block by eight; "
            "the baker says the secret is patience and a cold cellar."
        ),
        tags=("Food", "Community"),
        author=2,
        hours_ago=120,
        comments=0,
        body="""\
A dark rye loaf from Hollin's, a three-person bakery on Fishergate, has been named the best bread \
in the country at the national baking awards, beating more than 600 entries.

By eight on Saturday morning the queue stretched past the chapel at the end of the street. The \
bakery sold out by half past nine.

> "It's flour, water, salt and time," said Marit Hollin, who opened the shop with her brother
> eleven years ago. "Mostly time. It sits in the cellar for two days."

The judges praised the loaf's "deep, sour crust and a crumb that stays moist for a week". The \
bakery plans to keep making the same number of loaves a day:

- about 120 rye loaves, baked overnight;
- no pre-orders, because "that is not fair on the queue";
- a limit of two loaves per person on Saturdays.

The full list of winners is on the [awards' website](https://bread.example.org/awards/winners).
""",
    ),
    Story(
        slug="police-trial-live-facial-matching-body-cameras",
        title="Police to trial body cameras with live facial matching in the town centre",
        dek=(
            "Forty officers, a watchlist of 1,200 people and six months; "
            "the privacy commissioner has questions."
        ),
        tags=("Policing", "Technology", "City Hall"),
        author=0,
        hours_ago=150,
        comments=71,
        topic=POLICE,
        body="""\
Forty police officers patrolling Market Square and the station concourse will wear body cameras \
that compare passing faces against a watchlist in real time, in a six-month trial approved by the \
police board on Wednesday.

The watchlist will hold about 1,200 people wanted on warrants or reported missing. The vendor \
says its false match rate is 0.3 percent in testing; every match must be confirmed by an officer \
before anyone is stopped.

> "This is a tool to find people we are already looking for, nothing more," Chief Constable Irena
> Kovacs said.

The privacy commissioner, Tobi Achebe-Rowe, wrote to the board asking for:

1. a published list of the categories of people who can be put on the watchlist;
2. an independent audit of every false match;
3. a public report at the end of the trial before any decision on a wider rollout.

Footage of people who do not match is deleted after 31 days, the force said. The board's \
[decision paper](https://carrow.example.org/police-board/facial-matching-trial) says a second \
vote will be needed to extend the system beyond the trial.
""",
    ),
    Story(
        slug="rent-freeze-proposal-splits-housing-committee",
        title="Rent freeze proposal splits the housing committee and goes back for more work",
        dek=(
            "A two-year freeze on existing tenancies failed by one vote; "
            "both sides claim the evidence."
        ),
        tags=("Housing", "City Hall"),
        author=1,
        hours_ago=200,
        comments=58,
        topic=RENT,
        body="""\
A proposal to freeze rents on existing tenancies for two years was sent back for further work on \
Monday after Carrow's housing committee split four to three against adopting it as drafted.

Rents in the city have risen 31 percent since 2021, according to the council's own figures, and \
6,800 households are on the social housing waiting list.

> "People who grew up here are leaving because they cannot afford a one-bedroom flat," said
> councillor Ngozi Abara, who wrote the proposal. "A freeze is not the whole answer. It is the
> part we can do this year."

Peter Whitlock of the landlords' association said a freeze would push small landlords to sell and \
"shrink the very market it is trying to protect". He pointed to the docklands sites that have \
had planning permission for years without a single home being built.

The committee asked officers to come back in six weeks with:

- an estimate of how many rented homes could leave the market;
- options that protect tenants from no-fault evictions during a freeze;
- a timetable for the [docklands sites](https://carrow.example.org/housing/committee/rent-stabilisation-paper).
""",
    ),
    Story(
        slug="budget-preview-what-to-expect-on-thursday",
        title="Budget preview: what to expect on Thursday",
        dek="Bridges, buses and a hole in the pension fund: the numbers to watch.",
        tags=("City Hall",),
        author=2,
        hours_ago=-20,
        comments=0,
        body="""\
The city's budget for next year will be presented on Thursday morning. Three things to watch:

1. whether the deferred bridge and tunnel repairs finally get a line of their own;
2. the bus subsidy, which the congestion charge is meant to fund from next spring;
3. a $40 million gap in the staff pension fund.

> "Every year we promise a budget of hard choices," one council officer said. "This year we
> might actually have to make them."

We will publish the full figures as they are released.
""",
    ),
    Story(
        slug="interview-the-last-ferry-captain-on-the-carrow-line",
        title="Interview: the last ferry captain on the old Carrow line",
        dek="Forty years, two collisions and one wedding on board.",
        tags=("Community",),
        author=1,
        hours_ago=3,
        comments=0,
        draft=True,
        body="""\
*Draft: check the dates with the harbour master before publishing.*

Joe Pellow first took the wheel of the Carrow ferry in 1984.

> "The river never does the same thing twice," he says.

Still to do:

- photos from the archive;
- the wedding story, with names checked.
""",
    ),
)

# Only built with --huge: the thread that tests paging and query counts at scale.
HUGE_STORY = Story(
    slug="stadium-referendum-results-and-reaction",
    title="Stadium referendum: Yes wins by 52 to 48 on a turnout of 38 percent",
    dek=(
        "The club's new ground at Millbank moves a step closer; "
        "the council still has the final vote."
    ),
    tags=("Sport", "City Hall"),
    author=2,
    hours_ago=28,
    comments=10_000,
    topic=STADIUM,
    body="""\
Carrow voted by 52 percent to 48 on Sunday to back a new 41,000-seat stadium for the city's \
football club on the Millbank site, with up to $180 million of public money guaranteed by the \
council. Turnout was 38 percent.

> "The city has chosen its future," the club chairman, Alasdair Drummond, said at the count.

Marisol Castellanos, who led the No campaign, said the result was "a narrow win on a small \
turnout for a very large cheque". The result is advisory; the council votes next month.

The [full results by ward](https://carrow.example.org/elections/stadium-referendum/results) show:

- Yes won in eleven of the city's nineteen wards;
- Millbank itself voted No by 61 percent;
- turnout ranged from 22 percent in Eastfield to 51 percent in Northgate.
""",
)
