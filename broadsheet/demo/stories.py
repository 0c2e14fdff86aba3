"""The demo newsroom's stories, all invented, set in the invented harbour city of Carrow.

Each story carries the vocabulary its readers argue with (`Topic`), so that the
comments under the bridge closure talk about the bridge, not about rent.
Claims are lower-case clauses that read after "that"; questions have no
question mark; the chatter templates add both.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    thing: str  # what the story is about, as readers say it: "the bridge"
    actors: tuple[str, ...]  # who gets blamed: "the council"
    people: tuple[str, ...]  # named figures, surnames as readers write them
    places: tuple[str, ...]
    figures: tuple[str, ...]  # numbers from the story, as noun phrases
    pros: tuple[str, ...]  # one side's claims
    cons: tuple[str, ...]  # the other side's claims
    questions: tuple[str, ...]
    corrections: tuple[str, ...]  # whole sentences that set a misreading straight
    stakes: tuple[str, ...]  # who is hurt, as a noun phrase
    links: tuple[str, ...]


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


BRIDGE = Topic(
    thing="the bridge",
    actors=("the council", "the transport department", "City Hall", "the ferry operator"),
    people=("Okonjo-Hale", "Petrossian", "the deputy mayor"),
    places=("the south bank", "Quay Street", "the Tannery junction", "the Millrace crossing"),
    figures=(
        "the $14 million repair bill",
        "the 80,000 daily crossings",
        "the three-week assessment",
        "the 2019 inspection",
        "two hours' notice",
    ),
    pros=(
        "closing it was the only responsible call",
        "a few weeks of traffic beats a collapse",
        "the engineers are doing exactly what we pay them to do",
        "nobody wants to be the one who kept it open the day it failed",
        "the extra ferries are a decent stopgap for now",
    ),
    cons=(
        "two hours' notice for eighty thousand people is a disgrace",
        "this was flagged in 2019 and they sat on it",
        "the ferries cannot possibly carry the same load as the bridge",
        "the south bank always gets treated as an afterthought",
        "deferring a $14 million repair twice was a choice, not an accident",
    ),
    questions=(
        "why was the 2019 repair deferred two budgets in a row",
        "who actually signed off on deferring it",
        "how are nurses on the early shift meant to get across",
        "is anyone checking the Millrace crossing while all this traffic is on it",
        "what happens to the Quay Street shops if this runs for months",
    ),
    corrections=(
        "The repair was deferred, not cancelled. Twice, which is arguably worse.",
        "Pedestrians and cyclists are barred too, it says so in the list.",
        "The 2019 report said 'fair, monitor annually'. It did not say unsafe.",
        "The ferries run every ten minutes, not every half hour.",
    ),
    stakes=(
        "shift workers on the south bank",
        "the shops on Quay Street",
        "parents doing the school run across the river",
        "anyone who needs to reach the hospital in a hurry",
    ),
    links=(
        "https://carrow.example.org/transport/reports/harbour-bridge-2019",
        "https://carrow.example.org/transport/ferry-timetable",
        "https://carrow.example.org/council/budget-2022/deferred-works",
    ),
)

SCHOOLS = Topic(
    thing="the four-day week",
    actors=("the school board", "the teachers' union", "the district office", "the board chair"),
    people=("Lindqvist", "Adeyemi", "the superintendent"),
    places=("Northgate", "the Eastfield estate", "Carrow High"),
    figures=(
        "the $3.1 million saving",
        "the 40-minute longer school day",
        "the 212 unfilled teaching posts",
        "the five-to-four vote",
    ),
    pros=(
        "keeping teachers matters more than keeping Fridays",
        "the districts that tried it kept staff who were about to quit",
        "a longer day with a rested teacher beats a short one with a supply teacher",
        "the old timetable was designed for a world that no longer exists",
    ),
    cons=(
        "working parents just lost a day of childcare overnight",
        "the poorest families will pay for this in Friday care costs",
        "a forty-minute longer day is brutal for the little ones",
        "the board is solving a pay problem with a calendar trick",
    ),
    questions=(
        "who is supposed to look after a seven-year-old every Friday",
        "did anyone ask the teachers whether they even want this",
        "what happens to the free school lunches on the fifth day",
        "why not just pay teachers enough to stay",
    ),
    corrections=(
        "The Friday programme is optional and it is free, both are in the story.",
        "It passed five to four. Hardly the landslide people are describing.",
        "It starts next autumn, not this term.",
    ),
    stakes=("single parents", "kids who rely on school lunches", "the youngest pupils"),
    links=(
        "https://carrow.example.org/schools/board-minutes/four-day-week",
        "https://schools.example.net/studies/four-day-week-staff-retention",
    ),
)

CONGESTION = Topic(
    thing="the congestion charge",
    actors=("the council", "the mayor's office", "the traders' association", "the bus company"),
    people=("Quayle", "Haddad", "the mayor"),
    places=("the old town", "Market Square", "Fishergate", "the ring road"),
    figures=(
        "the $9 daily charge",
        "the 7 a.m. to 7 p.m. hours",
        "the 23 percent drop they are projecting",
        "the $28 million a year it is supposed to raise",
    ),
    pros=(
        "the old town was never built for this many cars",
        "every city that did this ended up wondering why it waited",
        "the money is ring-fenced for buses, which is the whole point",
        "clean air in Market Square is worth nine dollars a day",
    ),
    cons=(
        "it is a tax on people who cannot afford to live in the centre",
        "the buses are not good enough yet to replace the car",
        "small shops in the old town will be the ones who pay for this",
        "the exemptions are a mess that rewards whoever shouts loudest",
    ),
    questions=(
        "where exactly is the money going to go",
        "why are delivery vans exempt when they cause half the jams",
        "what about carers who visit people in the old town every day",
        "has anyone looked at how many buses actually run after seven in the evening",
    ),
    corrections=(
        "Residents get a 90 percent discount, it is not the full nine dollars.",
        "Blue badge holders are exempt. It is in the list halfway down.",
        "It is a trial for two years, then another vote.",
    ),
    stakes=("carers on home visits", "old-town shopkeepers", "night-shift workers"),
    links=(
        "https://carrow.example.org/transport/congestion-charge/consultation",
        "https://carrow.example.org/transport/congestion-charge/map",
    ),
)

HOSPITAL = Topic(
    thing="the emergency department",
    actors=("the health board", "the nurses' union", "the hospital trust", "the government"),
    people=("Mensah", "Ferreira", "the chief executive"),
    places=("St Brannoc's", "the Westmoor clinic", "the A&E waiting room"),
    figures=(
        "the 11-hour average wait",
        "the 340 vacant nursing posts",
        "the 4 percent pay offer",
        "the 19 ambulances queued outside on Monday",
    ),
    pros=(
        "the nurses have every right to walk out",
        "you cannot run a hospital on goodwill and overtime forever",
        "a strike is the only thing that gets the board's attention",
        "the staff are the ones holding the whole place together",
    ),
    cons=(
        "a walkout will hurt the patients, not the board",
        "the waits are about bed-blocking, not nurse pay",
        "every service is short of money and the hospital is no exception",
        "the union is using the waiting times as a bargaining chip",
    ),
    questions=(
        "why are there 340 vacancies if the pay is fine",
        "what is the board actually doing about discharge delays",
        "who covers emergency care on the strike days",
        "where did the money from last year's winter fund go",
    ),
    corrections=(
        "Emergency cover continues on strike days, the union said so explicitly.",
        "The eleven hours is the average, not the worst case. The worst case was 31.",
        "It is a ballot for a walkout, not a walkout. Nothing has been called yet.",
    ),
    stakes=("elderly patients on trolleys", "the nurses doing double shifts", "paramedics"),
    links=(
        "https://health.example.org/carrow/emergency-waits-monthly",
        "https://carrow.example.org/health-board/papers/winter-plan",
    ),
)

HEAT_PUMPS = Topic(
    thing="the heat pump subsidy",
    actors=("the energy department", "the installers", "the government", "the grid operator"),
    people=("Brannigan", "Osei", "the energy minister"),
    places=("the hill terraces", "Old Carrow", "the new estates"),
    figures=(
        "the $7,500 grant",
        "the six weeks of funding left",
        "the 14,000 applications",
        "the $16,000 typical install cost",
    ),
    pros=(
        "heat pumps work fine in our climate if they are fitted properly",
        "the grant paid for itself in lower bills within a few winters",
        "running out early just proves how popular it is",
        "gas is only going to get more expensive from here",
    ),
    cons=(
        "the grant mostly helped people who could already afford it",
        "old terraced houses need insulation before a heat pump makes sense",
        "half the installers doubled their prices the day the grant launched",
        "six weeks of money left is a terrible way to run a programme",
    ),
    questions=(
        "why does the grant not cover insulation first",
        "what happens to people who are halfway through an application",
        "has anyone checked the bills of people who actually got one",
        "why was the budget set so low in the first place",
    ),
    corrections=(
        "Applications already submitted will be honoured, it says so in the fourth paragraph.",
        "The grant is $7,500, not the full cost. Nobody was getting one for free.",
        "The minister said the scheme is under review, not that it is ending.",
    ),
    stakes=("renters", "pensioners in old terraces", "small installers"),
    links=(
        "https://energy.example.org/grants/heat-pumps/eligibility",
        "https://energy.example.org/data/heat-pump-running-costs",
    ),
)

POLICE = Topic(
    thing="the facial matching trial",
    actors=("the police", "the police board", "the privacy commissioner", "the vendor"),
    people=("Kovacs", "Achebe-Rowe", "the chief constable"),
    places=("Market Square", "the station concourse", "the Friday night strip"),
    figures=(
        "the six-month trial",
        "the 40 body cameras",
        "the watchlist of 1,200 people",
        "the 0.3 percent false match rate",
    ),
    pros=(
        "if it finds one missing child it will have been worth it",
        "the cameras only match against a watchlist, not everyone",
        "officers already look at faces all day, this just helps them remember",
        "being filmed in public is nothing new",
    ),
    cons=(
        "a 0.3 percent error rate means innocent people stopped every weekend",
        "once this is switched on it will never be switched off",
        "nobody voted for live face scanning in the town centre",
        "these systems are known to be worse on darker faces",
    ),
    questions=(
        "who decides who goes on the watchlist",
        "what happens to the footage of everyone who is not a match",
        "who audits the false matches",
        "why was this approved without a public consultation",
    ),
    corrections=(
        "The footage of non-matches is deleted after 31 days, per the article.",
        "It is 40 cameras on one shift pattern, not every officer in the city.",
        "The board approved a trial. There is a second vote before any rollout.",
    ),
    stakes=("people who get wrongly stopped", "young men on a night out", "protesters"),
    links=(
        "https://carrow.example.org/police-board/facial-matching-trial",
        "https://privacy.example.org/guidance/live-facial-recognition",
    ),
)

RENT = Topic(
    thing="the rent freeze",
    actors=("the housing committee", "the landlords' association", "the tenants' union", "council"),
    people=("Abara", "Whitlock", "the committee chair"),
    places=("Eastfield", "the docklands flats", "Old Carrow", "the university quarter"),
    figures=(
        "the two-year freeze",
        "the 31 percent rise in rents since 2021",
        "the 6,800 households on the waiting list",
        "the 4-3 committee split",
    ),
    pros=(
        "tenants cannot absorb another year of double-digit rises",
        "a freeze buys time while the new homes get built",
        "landlords did very well out of the last five years",
        "people are being priced out of the city they grew up in",
    ),
    cons=(
        "freezes always shrink the supply of rentals in the end",
        "small landlords with mortgages will just sell up",
        "the real problem is that nothing gets built here",
        "a freeze helps whoever already has a flat and nobody else",
    ),
    questions=(
        "what stops landlords from just evicting and re-letting",
        "why not build on the docklands sites that have sat empty for years",
        "does the freeze cover students in the university quarter",
        "what did the cities that tried this actually see after five years",
    ),
    corrections=(
        "It is a proposal that went back to committee. Nothing has been frozen yet.",
        "The freeze applies to existing tenancies only, new lets are not covered.",
        "The committee split 4-3, so calling it unanimous support is just wrong.",
    ),
    stakes=("young families renting", "students", "people on the waiting list"),
    links=(
        "https://carrow.example.org/housing/committee/rent-stabilisation-paper",
        "https://housing.example.net/research/rent-controls-evidence-review",
    ),
)

STADIUM = Topic(
    thing="the stadium vote",
    actors=("the club", "the council", "the Yes campaign", "the No campaign"),
    people=("Drummond", "Castellanos", "the club chairman"),
    places=("the Riverside ground", "the Millbank site", "the docklands"),
    figures=(
        "the $180 million of public money",
        "the 52 to 48 margin",
        "the 41,000-seat design",
        "the 38 percent turnout",
    ),
    pros=(
        "the club brings thousands of people into the city every other weekend",
        "the Riverside ground is falling apart and everyone knows it",
        "if we say no they will move to another city and that will be that",
        "the regeneration around the stadium is the real prize",
    ),
    cons=(
        "public money should not be building a stadium for a private club",
        "the jobs figures in the Yes leaflets were pure fantasy",
        "a 38 percent turnout is not a mandate for anything",
        "the Millbank site should have been housing",
    ),
    questions=(
        "who pays if the stadium runs over budget",
        "does the club actually own any of the land",
        "what did the council promise the club behind closed doors",
        "why was the vote held in the middle of the holidays",
    ),
    corrections=(
        "It is a loan guarantee, not $180 million in cash, which is bad enough.",
        "The result is advisory. The council still has to vote on it.",
        "Turnout was 38 percent, not 28. Still low.",
    ),
    stakes=("Millbank residents", "season-ticket holders", "every other council service"),
    links=(
        "https://carrow.example.org/elections/stadium-referendum/results",
        "https://carrow.example.org/planning/millbank-stadium-application",
    ),
)

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
