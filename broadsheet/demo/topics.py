"""What the demo's readers argue with under each story (`Topic`): the thing, the people
blamed, the claims on each side, the questions and the figures, so that the comments
under the bridge closure talk about the bridge, not about rent. Claims are lower-case
clauses that read after "that"; questions have no question mark; the chatter templates
add both.
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
