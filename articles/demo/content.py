"""Demo content for "Newsroom Daily", an invented national newspaper based in India.

Everything here is original, invented writing for demonstration purposes only.
The people, firms, committees, leagues and events described are fictional;
real places are used only as settings. The data is read by a management
command that loads a demo newsroom.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict

# A paragraph (our own text, which may carry inline markup) or a block:
# ("h2", text), ("quote", text), ("ul", items) or ("picture", key, caption).
Block = str | tuple[str, str] | tuple[str, list[str]] | tuple[str, str, str]


class Picture(TypedDict):
    key: str
    title: str
    alt: str
    caption: str
    credit: str
    scene: str
    palette: list[str]


class ReadMore(TypedDict):
    # The block the line follows, counted from 0; None: the story's end.
    after_paragraph: int | None
    # One of the demo's stories by slug, or an external page.
    article: NotRequired[str]
    url: NotRequired[str]
    title: NotRequired[str]


class Story(TypedDict):
    slug: str
    headline: str
    standfirst: str
    dateline: str
    section: str
    authors: list[str]
    tags: list[str]
    body: list[Block]


class PublishedStory(Story):
    edited_by: str | None
    image: str | None
    image_caption: str
    hours_ago: int
    updated_hours_ago: int | None
    is_featured: bool
    related: list[ReadMore]


class BreakingStory(Story):
    minutes_ago: int
    # The banner runs for this long from when the demo is loaded.
    breaking_for_hours: int


class StoryAtTheDesk(Story):
    status: str
    publish_in_hours: NotRequired[int]


class Update(TypedDict):
    article: str
    due_in_hours: int
    headline: str
    paragraph: str
    tag: str


# (path, name, description). Parents come before children.
SECTIONS = [
    ("news", "News", "Reporting from across India and around the world."),
    ("news/india", "India", "National news from the states, the cities and the countryside."),
    ("news/india/delhi", "Delhi", "Civic affairs, transport, environment and daily life in the capital."),
    ("news/india/mumbai", "Mumbai", "The city's streets, suburbs, civic body and coastline."),
    ("news/world", "World", "International news and analysis from our correspondents."),
    ("news/world/asia", "Asia", "News from South, South-East and East Asia."),
    ("news/world/europe", "Europe", "News from Europe, with a close eye on its ties to India."),
    ("business", "Business", "Companies, the economy, trade and personal finance."),
    ("business/markets", "Markets", "Shares, commodities, auctions and the forces that move prices."),
    ("sport", "Sport", "Results, features and the people behind the games."),
    ("sport/cricket", "Cricket", "Match reports and stories from domestic and league cricket."),
    ("technology", "Technology", "Startups, gadgets, science and how technology changes everyday life."),
    ("opinion", "Opinion", "Columns and commentary from Newsroom Daily writers."),
]

AUTHORS = [
    {
        "slug": "priya-raghunathan",
        "name": "Priya Raghunathan",
        "kind": "person",
        "role": "Senior Correspondent",
        "bio": (
            "Priya Raghunathan reports on cities, the environment and public health from the Delhi bureau. "
            "She has covered civic affairs for more than a decade and travels often to the hill states. "
            "Before joining Newsroom Daily she worked as a data reporter on a regional weekly."
        ),
    },
    {
        "slug": "kabir-deshpande",
        "name": "Kabir Deshpande",
        "kind": "person",
        "role": "Mumbai Correspondent",
        "bio": (
            "Kabir Deshpande covers Mumbai's civic body and the financial markets from the Mumbai bureau. "
            "He trained as a civil engineer before moving into journalism, and writes often about drains, "
            "roads and the money that pays for them."
        ),
    },
    {
        "slug": "tanvi-rao",
        "name": "Tanvi Rao",
        "kind": "person",
        "role": "Foreign Affairs Correspondent",
        "bio": (
            "Tanvi Rao writes about Asia and Europe, with a focus on rivers, climate and trade. "
            "She has reported from more than twenty countries and is based between New Delhi and Singapore."
        ),
    },
    {
        "slug": "rohan-dsouza",
        "name": "Rohan D'Souza",
        "kind": "person",
        "role": "Sports Writer",
        "bio": (
            "Rohan D'Souza covers cricket, athletics and grassroots sport. "
            "He grew up watching club matches in Goa and still believes the best stories are found "
            "far from the biggest stadiums."
        ),
    },
    {
        "slug": "farah-siddiqui",
        "name": "Farah Siddiqui",
        "kind": "person",
        "role": "Technology and Data Reporter",
        "bio": (
            "Farah Siddiqui reports on startups, hardware and the uses of data in public life. "
            "She builds many of the charts and analyses that accompany Newsroom Daily's reporting, "
            "and is based in Bengaluru."
        ),
    },
    {
        "slug": "vikram-anand",
        "name": "Vikram Anand",
        "kind": "person",
        "role": "Deputy Editor",
        "bio": (
            "Vikram Anand is the deputy editor of Newsroom Daily and oversees the national and opinion pages. "
            "He has worked as a reporter, sub-editor and city editor, and writes a fortnightly column "
            "on how Indian cities are planned."
        ),
    },
    {
        "slug": "news-desk",
        "name": "Newsroom Daily News Desk",
        "kind": "desk",
        "role": "News Desk",
        "bio": (
            "The news desk edits and publishes Newsroom Daily's national and international reporting "
            "around the clock, and compiles reports from our bureaus and correspondents."
        ),
    },
    {
        "slug": "business-desk",
        "name": "Newsroom Daily Business Desk",
        "kind": "desk",
        "role": "Business Desk",
        "bio": (
            "The business desk tracks markets, companies and the economy, and edits reporting "
            "from Newsroom Daily's business correspondents."
        ),
    },
]

IMAGES: list[Picture] = [
    {
        "key": "delhi-heat-haze",
        "title": "Midday haze over central Delhi",
        "alt": "Illustration: dark silhouettes of city buildings with a few lit windows, under a pale orange sky and a low sun",
        "caption": "Temperatures in the capital routinely cross 40 degrees Celsius from April onwards.",
        "credit": "Newsroom Daily Photo Desk / Ishaan Malhotra",
        "scene": "skyline",
        "palette": ["#f4c27a", "#d9824b", "#6b3b2a"],
    },
    {
        "key": "yamuna-wetland",
        "title": "Restored wetland on the Yamuna floodplain",
        "alt": "Illustration: two bands of rolling green hills under a pale blue sky",
        "caption": "Shallow pools dug on the floodplain now hold water well into the winter months.",
        "credit": "Newsroom Daily Photo Desk / Ritu Bhandari",
        "scene": "field",
        "palette": ["#cfe3ee", "#8fb573", "#3f6b3a"],
    },
    {
        "key": "mumbai-monsoon-street",
        "title": "Rain over a Mumbai street",
        "alt": "Illustration: rain streaking down over dark blocks of flats with a few lit windows, under a grey sky",
        "caption": "Low-lying stretches flood most often when heavy rain coincides with high tide.",
        "credit": "Newsroom Daily Photo Desk / Ashwin Pereira",
        "scene": "rain",
        "palette": ["#5d6d7e", "#34495e", "#1b2631"],
    },
    {
        "key": "shimla-orchards",
        "title": "Apple orchards in the Shimla hills",
        "alt": "Illustration: green hills rising in two layers under a light blue sky",
        "caption": "Growers are planting higher up the valleys, where winters remain cold enough for apples.",
        "credit": "Newsroom Daily Photo Desk / Ritu Bhandari",
        "scene": "mountains",
        "palette": ["#bcd7f0", "#7a9a6a", "#3d5a40"],
    },
    {
        "key": "mekong-riverfront",
        "title": "Boats on the Mekong at dusk",
        "alt": "Illustration: brown waterfront buildings above rows of small dark waves, under an orange evening sky",
        "caption": "Riverside communities depend on the Mekong's annual flood for farming and fishing.",
        "credit": "Newsroom Daily / Tanvi Rao",
        "scene": "harbour",
        "palette": ["#f2b880", "#a97c50", "#3b2f2f"],
    },
    {
        "key": "annapurna-trail",
        "title": "Lodges on an Annapurna trekking route",
        "alt": "Illustration: pale snowy ridges with dark green hills in front, under a blue sky",
        "caption": "Tea-house lodges line the popular trekking routes of central Nepal.",
        "credit": "Newsroom Daily / Tanvi Rao",
        "scene": "mountains",
        "palette": ["#9ec9f5", "#e8eef2", "#4a6b4f"],
    },
    {
        "key": "hamburg-food-hall",
        "title": "A covered food hall in Hamburg",
        "alt": "Illustration: a dense crowd of people drawn as simple red and brown figures, under a cream sky",
        "caption": "Specialist food halls have become a showcase for traceable, small-producer goods.",
        "credit": "Newsroom Daily / Tanvi Rao",
        "scene": "market",
        "palette": ["#e9dcc9", "#c0392b", "#5b3a29"],
    },
    {
        "key": "midcap-chart",
        "title": "Mid-cap shares on the rise",
        "alt": "Illustration: a bar chart of twelve blue and yellow bars on a dark blue background",
        "caption": "Mid-cap shares have outpaced the benchmark indices over the past month.",
        "credit": "Newsroom Daily Graphics Desk",
        "scene": "chart",
        "palette": ["#0f1c2e", "#1f6f8b", "#f2c14e"],
    },
    {
        "key": "kozhikode-ground",
        "title": "Floodlit cricket ground in Kozhikode",
        "alt": "Illustration: a floodlit cricket ground at dusk, with light towers over crowded stands, a striped green outfield and a pale pitch with stumps",
        "caption": "The Kozhikode pitch has favoured spin bowlers throughout the season.",
        "credit": "Newsroom Daily Photo Desk / Joseph Varghese",
        "scene": "stadium",
        "palette": ["#1c2a48", "#2e8b57", "#f5f5dc"],
    },
    {
        "key": "bengaluru-morning",
        "title": "Early morning in central Bengaluru",
        "alt": "Illustration: city buildings with lit windows, in grey-green and dark slate, under a peach sunrise sky",
        "caption": "Roads around the city centre will be closed to traffic on race morning.",
        "credit": "Newsroom Daily / Farah Siddiqui",
        "scene": "skyline",
        "palette": ["#fde2c4", "#9bb7a0", "#2f4f4f"],
    },
    {
        "key": "soil-sensor-bench",
        "title": "Soil sensors on the test bench",
        "alt": "Illustration: a row of round laboratory flasks with tall necks on a blue-grey bench",
        "caption": "Each sensor measures soil moisture at two depths and reports once a day by text message.",
        "credit": "Newsroom Daily / Farah Siddiqui",
        "scene": "lab",
        "palette": ["#eef3f7", "#7fa7c9", "#2c3e50"],
    },
    {
        "key": "repair-bench",
        "title": "A handset on the repair bench",
        "alt": "Illustration: a row of six dark round flasks with tall necks on a golden-brown bench",
        "caption": "The handset is held together with eight standard screws rather than glue.",
        "credit": "Newsroom Daily Photo Desk / Ashwin Pereira",
        "scene": "lab",
        "palette": ["#f7f1e3", "#d1a054", "#40332a"],
    },
]

ARTICLES: list[PublishedStory] = [
    # ------------------------------------------------------------------ Opinion
    {
        "slug": "opinion-cities-need-shade-before-flyovers",
        "headline": "Opinion: Our cities need shade before they need another flyover",
        "standfirst": (
            "Cooling shelters are a welcome start, but the real test of a heat plan is whether a vendor, "
            "a schoolchild or a delivery rider can get through a May afternoon without harm."
        ),
        "dateline": "New Delhi",
        "section": "opinion",
        "authors": ["vikram-anand"],
        "edited_by": None,
        "image": None,
        "image_caption": "",
        "tags": ["heat", "urban planning", "public health"],
        "hours_ago": 1,
        "updated_hours_ago": None,
        "is_featured": False,
        "body": [
            "Every summer, Indian cities relearn the same lesson. The heat arrives earlier than expected, "
            "stays longer than planned, and falls hardest on the people who have no choice about being "
            "outdoors: construction workers, street vendors, traffic police, delivery riders, and the "
            "children who walk to school along roads with no trees.",
            "This year there are signs that some civic bodies are taking the problem more seriously. "
            "Delhi's decision to open cooling shelters in every municipal zone, with drinking water and "
            "trained volunteers, is a practical step, and publishing the list ward by ward means residents "
            "can hold officials to it. Similar plans are being drawn up in several other cities.",
            ("h2", "Shade is infrastructure"),
            ("picture", "delhi-heat-haze", "Central Delhi at noon: little of the city offers shade."),
            "But shelters treat the symptom. The deeper problem is that our cities have been built as if "
            "shade were a decoration rather than infrastructure. Roads are widened by felling the trees "
            "that lined them, bus stops are roofed with metal sheets that turn into ovens by noon, and new "
            "housing colonies are laid out with little thought for how air will move between buildings.",
            "A serious heat plan would count shade the way we count parking spaces or lane-kilometres of "
            "road. It would require every new road project to show how much tree canopy it will keep or "
            "add, set <strong>minimum standards</strong> for bus shelters and market roofs, and measure "
            "success not by the number of halls opened but by how far anyone has to walk to find relief.",
            ("quote", "A city that cannot keep its people cool on the hottest afternoon of the year is not yet finished being built."),
            "None of this is expensive when set against the cost of heat illness, lost working hours and "
            "spoiled produce. It simply asks planners to treat a May afternoon as a design problem rather "
            "than a seasonal inconvenience. The shelters opening this month are a start. The measure of our "
            "cities will be whether, in a decade, they are needed less.",
        ],
        "related": [
            {"article": "delhi-opens-cooling-shelters-ahead-of-summer-heat", "after_paragraph": 1},
            {
                "url": "https://example.org/research/tree-canopy-and-street-temperatures",
                "title": "Tree canopy and street temperatures: what the research says",
                "after_paragraph": None,
            },
        ],
    },
    # ------------------------------------------------------------------ Delhi
    {
        "slug": "delhi-opens-cooling-shelters-ahead-of-summer-heat",
        "headline": "Delhi opens 140 cooling shelters as civic body readies its summer heat plan",
        "standfirst": (
            "Shaded rest points with drinking water and first-aid volunteers will open across every "
            "municipal zone within three weeks, with longer hours at bus depots and wholesale markets."
        ),
        "dateline": "New Delhi",
        "section": "news/india/delhi",
        "authors": ["priya-raghunathan", "farah-siddiqui", "news-desk"],
        "edited_by": "vikram-anand",
        "image": "delhi-heat-haze",
        "image_caption": "",
        "tags": ["heat", "delhi", "urban planning", "public health"],
        "hours_ago": 3,
        "updated_hours_ago": None,
        "is_featured": True,
        "body": [
            "The municipal corporation will open 140 cooling shelters across the capital over the next "
            "three weeks, officials said on Tuesday, the largest such network the city has attempted ahead "
            "of the summer. The shelters, mostly converted community halls, school verandas and shaded bays "
            "at bus depots, will offer drinking water, oral rehydration salts, fans and a trained first-aid "
            "volunteer from late morning until early evening.",
            "The plan was drawn up by a <strong>heat action cell</strong> set up last year inside the "
            "corporation's public health department, which mapped the places where outdoor workers, street "
            "vendors and older residents spend the hottest hours of the day. Officials said the list would "
            "be published ward by ward so that residents can find their nearest site.",
            ("h2", "Where the shelters will be"),
            "Nearly a third of the shelters will be placed near wholesale markets, construction clusters and "
            "transport hubs, where the cell's survey found people were most likely to be outdoors between "
            "noon and four in the afternoon. The rest are spread across residential wards, with more of them "
            "in neighbourhoods that have little tree cover and closely packed housing.",
            "A Newsroom Daily analysis of the ward list shows that the east and north-east zones, which have "
            "some of the city's lowest green cover, will receive 46 of the 140 shelters. Residents' welfare "
            "associations in those areas had written to the corporation last summer asking for shaded "
            "waiting areas at bus stops.",
            ("quote", "We are not trying to fix the heat with a few halls. We are trying to make sure nobody has to walk more than fifteen minutes to find water and shade."),
            "That was how Dr Nandita Saxena, who heads the heat action cell, described the aim of the "
            "programme at a briefing at the civic centre. She said volunteers would be trained to recognise "
            "early signs of heat exhaustion and to call the nearest health post, and that shelters would stay "
            "open until seven in the evening on days when the forecast crosses 42 degrees Celsius.",
            "Officials also said they would repaint 600 bus shelter roofs with a reflective white coating and "
            "give municipal outdoor staff a break between one and four in the afternoon on the hottest days. "
            "Contractors working on corporation projects will be asked to follow the same schedule, and "
            "inspectors will check construction sites for drinking water and shade.",
        ],
        "related": [
            {"article": "opinion-cities-need-shade-before-flyovers", "after_paragraph": 3},
            {
                "url": "https://example.org/reports/urban-heat-action-plans",
                "title": "How Indian cities are writing heat action plans",
                "after_paragraph": None,
            },
        ],
    },
    {
        "slug": "yamuna-floodplain-wetland-pilot-brings-back-birds",
        "headline": "Migratory birds return to a restored stretch of the Yamuna floodplain, surveyors say",
        "standfirst": (
            "A two-year pilot to revive shallow wetlands beside the river has recorded 61 bird species "
            "this winter, up from 23 before the work began, according to a volunteer survey."
        ),
        "dateline": "New Delhi",
        "section": "news/india/delhi",
        "authors": ["priya-raghunathan"],
        "edited_by": "vikram-anand",
        "image": "yamuna-wetland",
        "image_caption": "Bar-headed geese and pintails were among the species recorded at the restored site this winter.",
        "tags": ["delhi", "rivers", "environment"],
        "hours_ago": 41,
        "updated_hours_ago": None,
        "is_featured": False,
        "body": [
            "A small restored wetland on the Yamuna floodplain in north Delhi has drawn back several species "
            "of migratory waterbirds that had not been recorded there for more than a decade, according to a "
            "survey by volunteer birdwatchers and ecology students released this week. The count, carried out "
            "over four weekends in January, recorded 61 species on the 18-hectare site.",
            "The site was once a patchwork of dumped construction debris and makeshift farm plots. Over the "
            "past two years, engineers and ecologists working for the city's floodplain restoration board "
            "cleared the rubble, reshaped the ground into a series of shallow pools and replanted native "
            "grasses along the edges, so that the area floods gently in the monsoon and holds water into winter.",
            "Among the returning visitors are flocks of bar-headed geese, northern pintails and common teals, "
            "along with a pair of painted storks that surveyors say spent most of January feeding in the pools. "
            "Kingfishers, herons and several kinds of warbler were also recorded in the reed beds.",
            ("ul", [
                "61 bird species recorded this winter, against 23 in the baseline count taken before work began",
                "About 9,000 truckloads of construction debris removed from the site",
                "Four shallow pools created, the deepest about 1.2 metres at the height of the monsoon",
                "More than 30 species of native grasses and sedges replanted along the banks",
            ]),
            "Aarti Menon, an ecologist who advises the restoration board, cautioned against reading too much "
            "into a single season's count. She said numbers could fall again if the pools dry out early or if "
            "untreated water from nearby drains keeps seeping into the river upstream, and that the board "
            "would need several years of data to know whether the change will last.",
            "The board plans to extend the approach to two more stretches of the floodplain, subject to "
            "funding, and to open a raised walking trail with information boards so that schools can visit "
            "without disturbing the birds. Entry to the pools themselves will remain restricted during the "
            "nesting season.",
        ],
        "related": [
            {
                "url": "https://example.org/field-notes/how-volunteer-bird-counts-work",
                "title": "How volunteer bird counts are carried out",
                "after_paragraph": 2,
            },
        ],
    },
    # ------------------------------------------------------------------ Mumbai
    {
        "slug": "mumbai-speeds-up-drain-desilting-before-monsoon",
        "headline": "Mumbai races to clear its drains as civic engineers warn of a tight pre-monsoon window",
        "standfirst": (
            "Crews are working night shifts to remove silt from storm-water drains and culverts, while six "
            "coastal pumping stations are being tested before the first heavy rain."
        ),
        "dateline": "Mumbai",
        "section": "news/india/mumbai",
        "authors": ["kabir-deshpande"],
        "edited_by": "news-desk",
        "image": "mumbai-monsoon-street",
        "image_caption": "",
        "tags": ["mumbai", "monsoon", "floods", "urban planning"],
        "hours_ago": 6,
        "updated_hours_ago": 2,
        "is_featured": False,
        "body": [
            "Mumbai's civic body has moved drain-cleaning crews to round-the-clock shifts, with engineers "
            "saying the city has less than five weeks to finish removing silt from its storm-water network "
            "before the monsoon sets in. Work is running behind last year's pace in three of the seven zones, "
            "according to a progress sheet reviewed by Newsroom Daily.",
            ("h2", "Behind schedule in the suburbs"),
            "The slowest progress is in the western suburbs, where crews have cleared about 58% of the target "
            "volume of silt from major drains, compared with more than 75% in the island city. Engineers blame "
            "the gap partly on metro and road works that have narrowed access to several culverts, forcing "
            "crews to dig out silt by hand rather than with excavators.",
            "The city relies on a web of open drains, underground channels and pumping stations to push "
            "rainwater out to sea, and the system is at its most vulnerable when heavy rain coincides with "
            "high tide and the outfall gates must close. Six pumping stations along the coast will be run "
            "through a full load test over the next fortnight.",
            ("quote", "Every tonne of silt we leave in a drain now is water standing on a road in July."),
            "Shirish Pawar, a deputy municipal engineer in charge of storm-water drains in the western suburbs, "
            "said crews were prioritising 38 locations that flooded repeatedly last year, including low-lying "
            "stretches near railway underpasses. Sensors installed at 20 of those spots will again send "
            "water-level readings to the disaster control room every ten minutes.",
            "<strong>Update:</strong> After this report was first published, the civic body said it would send "
            "40 additional portable pumps to the western suburbs and give contractors one more week to submit "
            "photographic proof of desilting at each site. Officials said penalties would apply to any "
            "contractor whose drains fail an independent inspection in early June.",
        ],
        "related": [
            {"article": "delhi-opens-cooling-shelters-ahead-of-summer-heat", "after_paragraph": 3},
            {
                "url": "https://example.org/explainers/how-city-storm-drains-work",
                "title": "Explainer: how a city's storm-water network works",
                "after_paragraph": None,
            },
        ],
    },
    # ------------------------------------------------------------------ India
    {
        "slug": "himachal-apple-growers-turn-to-hail-nets",
        "headline": "Himachal apple growers turn to hail nets and new varieties as orchards move uphill",
        "standfirst": (
            "Orchardists in Shimla and Kullu districts say thinner snowfall and late hailstorms are changing "
            "what they plant and where, with younger growers leading the switch."
        ),
        "dateline": "Shimla",
        "section": "news/india",
        "authors": ["priya-raghunathan"],
        "edited_by": "vikram-anand",
        "image": "shimla-orchards",
        "image_caption": "",
        "tags": ["agriculture", "climate", "himachal pradesh"],
        "hours_ago": 66,
        "updated_hours_ago": None,
        "is_featured": False,
        "body": [
            "On a steep slope above the Giri valley, rows of young apple trees stand beneath black anti-hail "
            "netting stretched over steel poles, a sight that was rare in these hills a decade ago. The "
            "orchard's owner, 34-year-old Devender Thakur, says the netting cost him almost as much as the "
            "saplings, but a single hailstorm in late April two years ago stripped most of his father's crop "
            "in under twenty minutes.",
            "Growers across Shimla and Kullu districts describe a similar pattern: thinner winter snowfall, "
            "warm spells in February that push trees into early bloom, and sudden hail in spring just as the "
            "fruit begins to set. Many older orchards of traditional varieties at lower altitudes now produce "
            "smaller, less colourful fruit, which fetches lower prices at wholesale markets.",
            ("h2", "Smaller trees, higher slopes"),
            "In response, a growing number of orchardists are replacing tall, widely spaced trees with "
            "high-density plantings on dwarf rootstocks, which bear fruit within three years rather than "
            "eight and are far easier to cover with netting. Others are buying land higher up the valleys, "
            "where the winter chill that apple trees need is still dependable.",
            "Horticulture officers in the district say applications for subsidised netting have roughly "
            "doubled in three years. Kamla Negi, an extension officer in Rohru, said the department was "
            "running training camps on pruning and pest control for high-density orchards, which need more "
            "careful handling than the old ones.",
            ("quote", "My father planted trees for his grandchildren. We plant trees for the next five seasons and hope the weather lets us keep them."),
            "That, said Thakur, who came back to the orchard after six years with an engineering firm in "
            "Chandigarh, is the difference between the two generations. Lower down the slopes, some families "
            "have begun growing kiwi fruit, pomegranate and vegetables between their apple rows, hedging "
            "against a bad year for any single crop.",
        ],
        "related": [
            {"article": "nepal-trekking-lodges-switch-to-solar-cookers", "after_paragraph": None},
        ],
    },
    # ------------------------------------------------------------------ Asia
    {
        "slug": "mekong-villages-test-flood-early-warning-sirens",
        "headline": "Villages along the lower Mekong test a shared flood warning system ahead of the rains",
        "standfirst": (
            "Sirens, text alerts and volunteer runners were put through a drill in riverside communities in "
            "Cambodia and Laos, as a cross-border project tries to give families more time to reach higher ground."
        ),
        "dateline": "Phnom Penh",
        "section": "news/world/asia",
        "authors": ["tanvi-rao"],
        "edited_by": "vikram-anand",
        "image": "mekong-riverfront",
        "image_caption": "",
        "tags": ["asia", "floods", "rivers", "monsoon"],
        "hours_ago": 27,
        "updated_hours_ago": None,
        "is_featured": True,
        "body": [
            "Sirens sounded in more than 40 riverside villages along the lower Mekong on Saturday in the "
            "largest drill yet of a shared flood early-warning system covering parts of Cambodia and Laos. "
            "The exercise tested whether an alert triggered by rising water upstream could reach households "
            "downstream within an hour, and whether families knew where to go when it did.",
            "The system is run by the <em>Lower Mekong Community Resilience Partnership</em>, a network of "
            "local councils, river gauge operators and aid groups that began linking their warning "
            "arrangements three years ago. Gauges on the main river and its tributaries send readings every "
            "fifteen minutes to a coordination centre, which issues alerts by text message, loudspeaker and, "
            "in villages with weak phone coverage, volunteers on motorbikes.",
            ("h2", "Minutes that matter"),
            "Organisers said the average time between the simulated alert and the first siren in the "
            "furthest villages was 38 minutes, well inside the one-hour target. But the drill also exposed "
            "gaps: in several communities, text messages arrived in a script many older residents could not "
            "read, and two evacuation points turned out to be on ground that had flooded in recent years.",
            ("quote", "A warning is only as good as the last person it reaches. Today we learned exactly where our chain is weak."),
            "Sokha Vann, the partnership's field coordinator, said the coming weeks would be spent recording "
            "voice alerts in local languages and moving the two evacuation points to schools on higher ground. "
            "Village volunteers will also visit households with elderly or disabled members, who are "
            "registered so that they can be helped first.",
            "The Mekong's yearly flood pulse is vital to farming and fishing along its banks, and residents "
            "stress that the aim is not to stop the water but to avoid being caught by it. Several countries "
            "in South and South-East Asia, including India and Bangladesh, have invested in community-based "
            "warning networks in recent years, and organisers said delegations from other river basins would "
            "observe next year's drill.",
        ],
        "related": [
            {"article": "mumbai-speeds-up-drain-desilting-before-monsoon", "after_paragraph": 3},
            {
                "url": "https://example.org/guides/community-early-warning-systems",
                "title": "A field guide to community early-warning systems",
                "after_paragraph": None,
            },
        ],
    },
    {
        "slug": "nepal-trekking-lodges-switch-to-solar-cookers",
        "headline": "Tea-house lodges on Nepal's trekking trails swap firewood for solar cookers and induction stoves",
        "standfirst": (
            "Lodge owners in the Annapurna region say cleaner kitchens are cutting fuel bills and easing "
            "pressure on forests, though cloudy days and the cost of batteries remain obstacles."
        ),
        "dateline": "Pokhara",
        "section": "news/world/asia",
        "authors": ["tanvi-rao"],
        "edited_by": "news-desk",
        "image": "annapurna-trail",
        "image_caption": "",
        "tags": ["asia", "climate", "environment"],
        "hours_ago": 92,
        "updated_hours_ago": None,
        "is_featured": False,
        "body": [
            "In the kitchen of a small tea-house lodge above the village of Ghandruk, a steel pot of lentils "
            "simmers on an induction plate powered by rooftop solar panels. Until two seasons ago, the same "
            "kitchen burned close to a tonne of firewood a month during the busy autumn trekking season, much "
            "of it carried up the trail by porters.",
            "Lodge owners along several popular routes in the Annapurna region have been switching to "
            "parabolic solar cookers, induction stoves and battery storage, helped by small loans from a "
            "regional cooperative bank and a grant scheme run by a conservation trust. About 120 lodges have "
            "made the change so far, according to the trust, out of roughly 400 on the routes it covers.",
            "For Maya Gurung, who runs a nine-room lodge with her husband, the biggest benefit has been cost. "
            "Firewood has become scarcer and dearer as community forest groups tightened the rules on cutting, "
            "and gas cylinders must be carried for two days from the nearest road. She estimates that her fuel "
            "spending has fallen by about 40% since the panels went up.",
            "The switch has its limits. Solar cookers are of little use on the overcast days common in the "
            "monsoon and early spring, and battery banks large enough to run stoves through the evening rush "
            "remain expensive and heavy to carry in. Most lodges keep a wood or gas stove in reserve.",
            "Trekkers have noticed the difference, lodge owners say, with fewer smoky dining rooms and cleaner "
            "air along the trail in the evenings. The trust hopes to extend the scheme to lodges on quieter "
            "routes next year, and is training local technicians so that panels and inverters can be repaired "
            "without waiting for a specialist from Pokhara.",
        ],
        "related": [
            {"article": "himachal-apple-growers-turn-to-hail-nets", "after_paragraph": 2},
        ],
    },
    # ------------------------------------------------------------------ Europe
    {
        "slug": "kerala-spice-cooperative-finds-buyers-in-hamburg",
        "headline": "A Kerala spice cooperative finds a loyal following in Hamburg's covered food halls",
        "standfirst": (
            "Smallholders from Idukki are selling pepper, cardamom and turmeric directly to German shoppers "
            "through a small importer, and say the arrangement has steadied their income."
        ),
        "dateline": "Hamburg",
        "section": "news/world/europe",
        "authors": ["tanvi-rao", "kabir-deshpande"],
        "edited_by": "business-desk",
        "image": "hamburg-food-hall",
        "image_caption": "",
        "tags": ["europe", "trade", "agriculture", "kerala"],
        "hours_ago": 57,
        "updated_hours_ago": None,
        "is_featured": False,
        "body": [
            "At a stall in one of Hamburg's covered food halls, glass jars of black pepper and green cardamom "
            "sit beside hand-written labels naming the villages in Kerala's Idukki district where the spices "
            "were grown. The stall is the most visible outlet for the <em>Highrange Spice Growers' "
            "Cooperative</em>, a group of about 1,100 smallholders that began exporting directly to Germany "
            "four years ago.",
            "The arrangement is modest in scale. The cooperative shipped around 60 tonnes of spices to Europe "
            "last year through a small Hamburg importer, Elbkai Spice Traders, which sells to specialist "
            "grocers, restaurants and online customers as well as through the market stall. But members say "
            "selling under their own name has changed how they are paid.",
            ("quote", "Before, we never knew where our pepper went after the trader's lorry left. Now a customer in Hamburg can read my village's name on the jar."),
            "Joseph Kuriakose, who grows pepper and cardamom on three acres near Kattappana and sits on the "
            "cooperative's board, said members receive a minimum price agreed before each harvest, plus a share "
            "of the importer's margin at the end of the year. In a good season, he said, that works out to "
            "between 15% and 25% more than selling to local traders.",
            "Meeting European food safety rules has been the hardest part. The cooperative had to build a "
            "shared drying and grading unit, train members to record every pesticide application, and pay for "
            "laboratory tests on each consignment. Two shipments in the first year were held at the port over "
            "paperwork errors, an episode the importer's founder, Lena Hartmann, called an expensive education "
            "for both sides.",
            "Hartmann said demand in Germany for traceable spices had grown steadily, driven by shoppers who "
            "want to know how and where their food is produced. The importer plans to add vanilla and nutmeg "
            "from the same cooperative next year, and is in talks with a tea growers' group in the Nilgiris.",
        ],
        "related": [
            {"article": "darjeeling-first-flush-tea-fetches-season-high-at-auction", "after_paragraph": 3},
            {
                "url": "https://example.org/trade/eu-food-import-rules-explained",
                "title": "EU food import rules, explained for small exporters",
                "after_paragraph": None,
            },
        ],
    },
    # ------------------------------------------------------------------ Markets
    {
        "slug": "midcap-shares-extend-rally-on-festive-demand-bets",
        "headline": "Mid-cap shares extend rally for a fifth session as investors bet on festive-season demand",
        "standfirst": (
            "Consumer durables makers and auto component suppliers led the gains, while analysts cautioned that "
            "valuations in parts of the mid-cap segment are running ahead of earnings."
        ),
        "dateline": "Mumbai",
        "section": "business/markets",
        "authors": ["kabir-deshpande", "business-desk"],
        "edited_by": "vikram-anand",
        "image": "midcap-chart",
        "image_caption": "",
        "tags": ["markets", "consumers", "manufacturing"],
        "hours_ago": 14,
        "updated_hours_ago": None,
        "is_featured": False,
        "body": [
            "Shares of mid-sized Indian companies rose for a fifth straight session on Thursday, with the "
            "broader mid-cap index closing 1.1% higher as investors bought into consumer and manufacturing "
            "stocks ahead of the festive season. The benchmark indices, dominated by large banks and technology "
            "companies, ended roughly flat after a choppy day of trading.",
            "Consumer durables makers were among the biggest gainers after several reported stronger-than-expected "
            "dealer orders for air conditioners, refrigerators and washing machines. Auto component suppliers "
            "also rose, extending gains from earlier in the week when monthly vehicle dispatch figures pointed "
            "to steady demand for two-wheelers in smaller towns.",
            ("h2", "Valuations in focus"),
            "Not everyone is convinced the rally has room to run. Mid-cap shares now trade at a noticeably "
            "higher multiple of expected earnings than large-cap stocks, a gap that analysts say has widened "
            "over the past year as retail investors have poured money into smaller companies through mutual "
            "fund schemes.",
            ("quote", "The demand story is real, but prices are already paying for a very good festive season. Any disappointment on margins will be punished quickly."),
            "That was the view of Radhika Venkatesh, head of equity research at Colaba Ridge Securities, a "
            "Mumbai brokerage, who said she preferred companies with low debt and a record of passing higher "
            "raw-material costs on to customers. Other analysts pointed to easing input prices and a healthy "
            "rural harvest as reasons for optimism.",
            "Among individual stocks, Kestrel Auto Components rose 6% after winning an export order for brake "
            "assemblies, while Frostline Appliances gained 4.5% on reports that it would add a second production "
            "line at its plant near Pune. Trading volumes were about a fifth above their monthly average.",
        ],
        "related": [
            {
                "url": "https://example.org/markets/reading-price-to-earnings-ratios",
                "title": "A beginner's guide to price-to-earnings ratios",
                "after_paragraph": 3,
            },
            {"article": "darjeeling-first-flush-tea-fetches-season-high-at-auction", "after_paragraph": None},
        ],
    },
    {
        "slug": "darjeeling-first-flush-tea-fetches-season-high-at-auction",
        "headline": "Darjeeling first-flush tea fetches a season-high price at Kolkata auction",
        "standfirst": (
            "A small lot of early spring leaf from a high-altitude garden drew the top bid of the season, as a "
            "dry winter in the hills cut volumes and pushed average prices up by about 12%."
        ),
        "dateline": "Kolkata",
        "section": "business/markets",
        "authors": ["business-desk"],
        "edited_by": "vikram-anand",
        "image": None,
        "image_caption": "",
        "tags": ["markets", "agriculture", "trade"],
        "hours_ago": 20,
        "updated_hours_ago": None,
        "is_featured": False,
        "body": [
            "A small lot of first-flush Darjeeling tea from a high-altitude garden sold for the highest price of "
            "the season at the Kolkata auction on Wednesday, as buyers competed for the limited volume of early "
            "spring leaf. The 20-kilogram lot of whole-leaf tea from the Mistvale Estate fetched ₹38,000 per "
            "kilogram, brokers said.",
            "Average prices for first-flush Darjeeling were about 12% higher than at the same point last season, "
            "according to auction figures compiled by brokers, reflecting a smaller crop after a dry winter in "
            "the hills. Volumes on offer were down by nearly a fifth, with several gardens reporting that the "
            "lack of rain in February had delayed the first plucking.",
            "Export buyers, mostly acting for specialist tea houses in Europe and Japan, accounted for most of "
            "the top-priced lots. Domestic buyers were more active in the middle of the range, where brokers "
            "reported steady demand from packaged-tea companies looking for premium blends.",
            "Garden managers say the higher prices only partly offset rising costs for labour, fertiliser and "
            "transport, and that many estates in the district are still struggling with ageing bushes and "
            "falling yields. Several gardens have begun replanting sections with newer clonal varieties, which "
            "take four to five years to reach full production.",
            "The second-flush season, which produces the muscatel teas for which Darjeeling is best known, is "
            "expected to begin in late May. Brokers said the outlook would depend heavily on pre-monsoon showers "
            "over the next few weeks.",
        ],
        "related": [],
    },
    # ------------------------------------------------------------------ Cricket
    {
        "slug": "teenage-spinner-takes-malabar-mariners-into-final",
        "headline": "Teenage spinner's five-wicket haul takes Malabar Mariners into Coastal League final",
        "standfirst": (
            "Left-arm spinner Adithya Nair, 17, took five for 21 as the Mariners bowled out the Konkan Kings for "
            "112 in Kozhikode and set up a final against the defending champions."
        ),
        "dateline": "Kozhikode",
        "section": "sport/cricket",
        "authors": ["rohan-dsouza"],
        "edited_by": "news-desk",
        "image": "kozhikode-ground",
        "image_caption": "The Kozhikode ground, where the Mariners will host the Coastal Cricket League final on Sunday.",
        "tags": ["cricket", "kerala", "young players"],
        "hours_ago": 9,
        "updated_hours_ago": None,
        "is_featured": True,
        "body": [
            "A 17-year-old left-arm spinner playing only his sixth senior match took five wickets for 21 runs on "
            "Sunday as the Malabar Mariners beat the Konkan Kings by 54 runs in the semi-final of the Coastal "
            "Cricket League. The Mariners will meet the defending champions, the Goa Gulls, in next weekend's final.",
            ("h2", "A spell that turned the game"),
            "Chasing 167 on a dry pitch that had begun to grip, the Kings were well placed at 71 for one in the "
            "twelfth over when Adithya Nair was brought on from the pavilion end. His first ball, flighted and "
            "drifting away, drew an edge from opener Sagar Kamat to slip, and in his first three overs he took "
            "apart the Kings' middle order for eleven runs.",
            "Nair, a student from Thalassery who was spotted at a district under-16 camp two years ago, bowled "
            "with unusual control for his age, varying his pace rather than chasing big turn. He added two more "
            "wickets in his final over as the Kings, who had won seven of their ten league matches, were bowled "
            "out for 112 with three overs to spare.",
            ("quote", "I just tried to bowl the same ball six times and let the pitch do the rest. Our captain told me not to look at the scoreboard."),
            "Nair said afterwards that his captain's advice had kept him calm. That captain, Irfan Kunhi, had "
            "earlier held the Mariners' innings together with 63 from 48 balls after his side slipped to 39 for "
            "three inside the powerplay, and a late stand of 52 with wicketkeeper Joel Mathew lifted the total to "
            "166 for seven.",
            "The final will be played at the same ground. The Gulls beat the Mariners twice in the league stage, "
            "but their coach said before the semi-finals that the Kozhikode pitch, which has favoured spin all "
            "season, would make the final an open contest.",
        ],
        "related": [
            {
                "url": "https://example.org/cricket/coastal-league-fixtures-and-table",
                "title": "Coastal Cricket League: fixtures and points table",
                "after_paragraph": 2,
            },
            {"article": "bengaluru-city-run-adds-step-free-5km-route", "after_paragraph": None},
        ],
    },
    # ------------------------------------------------------------------ Sport
    {
        "slug": "bengaluru-city-run-adds-step-free-5km-route",
        "headline": "Bengaluru city run adds a step-free 5km route for wheelchair users and families with prams",
        "standfirst": (
            "Organisers of the Cubbon Loop City Run say the new course, checked by disabled athletes, avoids "
            "kerbs and steep gradients and will start half an hour before the main race."
        ),
        "dateline": "Bengaluru",
        "section": "sport",
        "authors": ["rohan-dsouza"],
        "edited_by": "news-desk",
        "image": "bengaluru-morning",
        "image_caption": "",
        "tags": ["running", "accessibility", "bengaluru"],
        "hours_ago": 110,
        "updated_hours_ago": None,
        "is_featured": False,
        "body": [
            "Organisers of the Cubbon Loop City Run, an annual road race that draws about 15,000 runners to "
            "central Bengaluru, will add a step-free 5km course for wheelchair users, people with walking aids "
            "and families with prams at this year's edition in December. The route was announced on Friday after "
            "a trial walk-through with a group of disabled athletes and volunteers.",
            "The old fun-run course crossed two footbridges and ran along several stretches of broken pavement, "
            "which organisers admitted had in effect shut out many would-be participants. The new loop keeps to "
            "wide roads that will be closed to traffic, avoids gradients steeper than about one in twenty, and "
            "has ramps wherever participants must move between the road and the footpath.",
            "Shalini Prakash, a wheelchair racer who took part in the trial and advised on the route, said the "
            "organisers had redrawn the course three times after the group reported problems, including a "
            "drainage channel near the finish and a stretch of road where the camber tipped chairs towards the "
            "kerb. She said the change mattered well beyond sport.",
            ("quote", "For years the message was that races are for people who can run. This route says the city's streets belong to everyone on race morning."),
            "The accessible event will have its own water stations, accessible toilets and a quiet zone at the "
            "start for participants with sensory sensitivities. Entry will be free for a carer accompanying a "
            "participant, and volunteers along the route will be trained in assisting wheelchair users.",
            "Organisers said they hoped to sign up at least 500 entrants for the new course in its first year. "
            "They also plan to publish an audit of the route, along with feedback from participants, after the "
            "race so that other city events can borrow the approach.",
        ],
        "related": [],
    },
    # ------------------------------------------------------------------ Technology
    {
        "slug": "bengaluru-startup-builds-low-cost-soil-moisture-sensor",
        "headline": "Startup's low-cost soil sensor helps Karnataka farmers water only when crops need it",
        "standfirst": (
            "A palm-sized probe that sends readings to a basic phone by text message is being trialled on 800 "
            "small farms, where early results point to savings on water and electricity."
        ),
        "dateline": "Tumakuru",
        "section": "technology",
        "authors": ["farah-siddiqui"],
        "edited_by": "vikram-anand",
        "image": "soil-sensor-bench",
        "image_caption": "",
        "tags": ["technology", "startups", "agriculture", "bengaluru"],
        "hours_ago": 33,
        "updated_hours_ago": None,
        "is_featured": False,
        "body": [
            "A Bengaluru startup is trialling a palm-sized soil moisture sensor on 800 small farms in Tumakuru "
            "and Chitradurga districts, aiming to help growers of groundnut, ragi and vegetables decide when to "
            "switch on their irrigation pumps. The device, developed by Neeru Sensing, costs about ₹1,800, a "
            "fraction of the price of imported probes.",
            "The sensor is pushed into the soil near the roots and measures moisture at two depths every few "
            "hours. Rather than relying on a smartphone app, it sends a short text message in Kannada to the "
            "farmer's phone once a day, saying whether the field needs water, can wait a day, or has had too much.",
            ("h2", "Designed around a basic phone"),
            "Co-founder Keerthana Shetty, an electronics engineer who grew up on a farm near Sira, said the team "
            "spent most of its first year talking to farmers rather than building hardware. Many of those they met "
            "used basic phones, shared one handset across the family or had patchy mobile data, so the team built "
            "the device around ordinary text messages and a battery that lasts a full crop season.",
            ("quote", "Farmers don't need another dashboard. They need one clear answer in the morning, in their own language, about whether to run the pump today."),
            "Early results from the first season, compiled by scientists at an agricultural research station "
            "monitoring the trial, suggest that participating farmers ran their pumps about a quarter less often "
            "than neighbours without sensors, with no fall in yield. The researchers cautioned that the sample "
            "was small and that a second season of data would be needed before drawing firm conclusions.",
            "The startup is raising its next round of funding and plans to work with farmer producer "
            "organisations so that sensors can be shared between neighbouring plots. It is also testing a "
            "version that can switch a pump on and off by itself, though Shetty said many farmers preferred to "
            "keep that decision in their own hands.",
        ],
        "related": [
            {"article": "himachal-apple-growers-turn-to-hail-nets", "after_paragraph": 3},
            {"article": "chennai-startup-launches-repairable-feature-phone", "after_paragraph": None},
        ],
    },
    {
        "slug": "chennai-startup-launches-repairable-feature-phone",
        "headline": "Chennai startup launches a repairable feature phone with spare parts sold at corner shops",
        "standfirst": (
            "Kolam Devices says its handset can be opened with an ordinary screwdriver, and that batteries, "
            "screens and keypads will be stocked by neighbourhood repair shops for at least five years."
        ),
        "dateline": "Chennai",
        "section": "technology",
        "authors": ["farah-siddiqui"],
        "edited_by": "news-desk",
        "image": "repair-bench",
        "image_caption": "",
        "tags": ["technology", "startups", "consumers", "manufacturing"],
        "hours_ago": 78,
        "updated_hours_ago": None,
        "is_featured": False,
        "body": [
            "A Chennai hardware startup has launched a feature phone designed to be opened and fixed by its owner "
            "or a neighbourhood repair shop, betting that buyers of low-cost handsets care as much about how long "
            "a phone lasts as about its features. The phone, sold by Kolam Devices for ₹2,499, is held together "
            "with eight standard screws rather than glue.",
            "Replacement batteries, screens, keypads and charging ports will be sold separately, with the most "
            "expensive part, the display, priced at ₹390. The company says it has signed up about 1,200 "
            "independent mobile repair shops across Tamil Nadu, Kerala and Karnataka to stock spare parts, and "
            "has committed to keeping them available for at least five years.",
            ("h2", "Built to be taken apart"),
            "Inside, the components sit on a single board with clearly labelled connectors, and a diagram printed "
            "on the inside of the back cover shows which screw holds which part. The battery slides out without "
            "tools. Kolam's founders, who previously worked at a contract electronics manufacturer near "
            "Sriperumbudur, said the repair-friendly design added less than ₹100 to the cost of each handset.",
            ("quote", "The cheapest phone is the one you don't have to replace. We wanted a repair to cost less than a week's mobile recharge."),
            "Chief executive Vasanth Krishnan, explaining the company's pitch, said it had deliberately kept the "
            "phone simple, with a long-lasting battery, a torch, an FM radio and menus in eight Indian languages. "
            "He expects its main buyers to be farm workers, delivery riders and older users who want a "
            "dependable second phone.",
            "Repair shop owners welcomed the move but said the real test would be whether parts remain easy to "
            "order once the launch publicity fades. Industry analysts noted that earlier attempts at modular or "
            "repairable handsets had struggled to sell enough units to keep spare-part supply chains running, "
            "and that Kolam would need strong sales in its first two years.",
        ],
        "related": [
            {"article": "bengaluru-startup-builds-low-cost-soil-moisture-sensor", "after_paragraph": 2},
            {
                "url": "https://example.org/explainers/right-to-repair",
                "title": "What 'right to repair' means for electronics buyers",
                "after_paragraph": None,
            },
        ],
    },
]

# ---------------------------------------------------------------- The desk at work
# A reporter's login, a story waiting for review, a story scheduled a few
# hours after the demo is loaded, a prepared update of a live story and a
# correction, so the desk dashboard has its day's work to show.
DEMO_REPORTER = {
    "username": "reporter",
    "password": "newsroom-reporter",
    "first_name": "Tanvi",
    "last_name": "Rao",
    "author": "tanvi-rao",
}

WORK_IN_PROGRESS: list[StoryAtTheDesk] = [
    {
        "slug": "singapore-port-trials-shore-power-for-container-ships",
        "headline": "Singapore port trials shore power so docked container ships can switch off their engines",
        "standfirst": (
            "Two berths will supply electricity to visiting ships from next month, a test of whether "
            "cleaner air in port can be paid for by the shipping lines."
        ),
        "dateline": "Singapore",
        "section": "news/world/asia",
        "authors": ["tanvi-rao"],
        "tags": ["shipping", "climate", "singapore"],
        "status": "in_review",
        "body": [
            "Container ships calling at two berths in Singapore will be able to plug into the city's "
            "grid from next month, letting crews switch off the diesel generators that usually run "
            "for the whole of a ship's stay in port.",
            "The trial will run for a year. Port officials want to learn how many lines have ships "
            "fitted with the right connections, and how much they are willing to pay for the power.",
            "Residents of the neighbourhoods nearest the terminals have long complained about soot "
            "on window sills; an air-quality monitor will be installed at each berth for the trial.",
        ],
    },
    {
        "slug": "kolkata-metro-opens-riverside-station-to-public",
        "headline": "Kolkata Metro opens its new riverside station to passengers after safety checks",
        "standfirst": (
            "The station, built beside the Hooghly, will serve ferry passengers and office workers "
            "crossing from Howrah, and trains will stop there every six minutes at peak hours."
        ),
        "dateline": "Kolkata",
        "section": "news/india",
        "authors": ["priya-raghunathan"],
        "tags": ["kolkata", "metro", "transport"],
        "status": "published",
        "publish_in_hours": 3,
        "body": [
            "Kolkata Metro will open its newest station, on the bank of the Hooghly, to passengers "
            "this evening after the railway safety commissioner signed off on the final checks.",
            "The station links the metro line with the ferry jetty next door, so commuters crossing "
            "from Howrah can change from boat to train without walking along the busy Strand Road.",
            "Trains will stop every six minutes at peak hours and every twelve minutes at other times.",
        ],
    },
]

BREAKING: BreakingStory = {
    "slug": "mumbai-cloth-market-fire-brought-under-control",
    "headline": "Fire at a Mumbai cloth market brought under control; no one hurt, officials say",
    "standfirst": (
        "Eight fire engines fought the blaze in a four-storey market building for two hours. "
        "Shopkeepers were moved out before dawn, and the cause is not yet known."
    ),
    "dateline": "Mumbai",
    "section": "news/india/mumbai",
    "authors": ["kabir-deshpande"],
    "tags": ["mumbai", "fire"],
    "minutes_ago": 25,
    "breaking_for_hours": 8,
    "body": [
        "A fire that broke out before dawn in a four-storey cloth market in south Mumbai was "
        "brought under control a little after seven this morning, the city's fire brigade said. "
        "No one was hurt.",
        "Eight fire engines and four water tankers were sent to the building, where about 60 "
        "shops sell fabric by the metre. Night watchmen raised the alarm and helped move people "
        "sleeping in the ground-floor storerooms out of the building.",
        "The upper two floors were badly damaged. Fire officers said the cause was not yet known "
        "and that the building would stay closed until engineers have checked its structure.",
        "<strong>This story is being updated.</strong>",
    ],
}

class LiveUpdate(TypedDict):
    minutes_ago: int
    headline: str
    body: list[str]
    author: str
    image: NotRequired[str]
    pinned: NotRequired[bool]
    key_event: NotRequired[bool]


class LiveStory(Story):
    minutes_ago: int
    image: str
    entries: list[LiveUpdate]


# A live story of the demo's day, its entries oldest first.
LIVE_BLOG: LiveStory = {
    "slug": "mumbai-monsoon-first-heavy-rain-live",
    "headline": "Mumbai's first heavy rain of the monsoon: live updates",
    "standfirst": (
        "Local trains slow down and low-lying roads fill as the season's first heavy spell "
        "reaches the city. Follow the latest from our reporters across Mumbai."
    ),
    "dateline": "Mumbai",
    "section": "news/india/mumbai",
    "authors": ["kabir-deshpande", "news-desk"],
    "tags": ["mumbai", "monsoon", "floods"],
    "minutes_ago": 190,
    "image": "mumbai-monsoon-street",
    "body": [
        "Heavy rain reached Mumbai on Saturday afternoon, the first spell of the monsoon strong "
        "enough to test the drains the city has been clearing for weeks. This page follows what "
        "it means for getting around the city, hour by hour.",
    ],
    "entries": [
        {
            "minutes_ago": 180,
            "headline": "",
            "body": [
                "Dark clouds over the western suburbs, and the first heavy showers in Andheri "
                "and Jogeshwari. The weather office expects the spell to last into the night."
            ],
            "author": "kabir-deshpande",
        },
        {
            "minutes_ago": 150,
            "headline": "Orange alert for the city and its neighbours",
            "body": [
                "The weather office has raised its alert for Mumbai, Thane and Palghar to orange: "
                "heavy to very heavy rain at isolated places over the next 24 hours.",
                "The civic body has asked people in low-lying areas to keep to higher floors if "
                "water enters their homes, and to call its disaster control room on 1916.",
            ],
            "author": "news-desk",
            "key_event": True,
        },
        {
            "minutes_ago": 120,
            "headline": "Local trains run late on the Western line",
            "body": [
                "Suburban trains on the Western line are running 15 to 20 minutes late after water "
                "collected on the tracks near two stations. Central line services are close to "
                "their timetable."
            ],
            "author": "kabir-deshpande",
            "image": "mumbai-monsoon-street",
        },
        {
            "minutes_ago": 90,
            "headline": "What we know so far",
            "body": [
                "<strong>Rain:</strong> the heaviest falls are in the western suburbs; the island "
                "city has had lighter showers.",
                "<strong>Travel:</strong> Western line trains are late; two subways in Andheri "
                "are closed to traffic.",
                "<strong>Help:</strong> the civic disaster control room answers on 1916.",
            ],
            "author": "news-desk",
            "pinned": True,
        },
        {
            "minutes_ago": 45,
            "headline": "Two subways closed in Andheri",
            "body": [
                "Traffic police have closed two subways in Andheri to vehicles after water rose "
                "above the kerb. Buses are being turned round at the nearest junctions."
            ],
            "author": "kabir-deshpande",
            "key_event": True,
        },
        {
            "minutes_ago": 10,
            "headline": "",
            "body": [
                "Pumps at the coastal stations are running, the civic body says, and water is "
                "draining from most of the roads that flooded in the first hour."
            ],
            "author": "kabir-deshpande",
        },
    ],
}

# How the desk arranged its fronts when the demo was loaded, lead first:
# each story by slug, with the hours it stays pinned there (None: until an
# editor moves it). "" is the home page; otherwise a section's path.
FRONTS: dict[str, list[tuple[str, int | None]]] = {
    "": [
        ("mumbai-monsoon-first-heavy-rain-live", None),
        ("mumbai-speeds-up-drain-desilting-before-monsoon", None),
        ("mekong-villages-test-flood-early-warning-sirens", 12),
        ("opinion-cities-need-shade-before-flyovers", None),
    ],
    "news": [
        ("himachal-apple-growers-turn-to-hail-nets", None),
        ("mekong-villages-test-flood-early-warning-sirens", None),
    ],
}

# Reads counted over the hours before the demo was loaded, so that its
# most-read lists have something to show: story slug -> (hours ago, reads).
READS: dict[str, list[tuple[int, int]]] = {
    "mumbai-cloth-market-fire-brought-under-control": [(0, 940)],
    "mumbai-speeds-up-drain-desilting-before-monsoon": [(5, 610), (2, 380)],
    "teenage-spinner-takes-malabar-mariners-into-final": [(9, 520), (3, 240)],
    "delhi-opens-cooling-shelters-ahead-of-summer-heat": [(12, 300), (4, 260)],
    "midcap-shares-extend-rally-on-festive-demand-bets": [(6, 410)],
    "chennai-startup-launches-repairable-feature-phone": [(20, 350)],
    "himachal-apple-growers-turn-to-hail-nets": [(30, 900), (10, 120)],
    "mekong-villages-test-flood-early-warning-sirens": [(7, 180)],
    "bengaluru-city-run-adds-step-free-5km-route": [(15, 150)],
}

SCHEDULED_UPDATE: Update = {
    "article": "midcap-shares-extend-rally-on-festive-demand-bets",
    "due_in_hours": 2,
    "headline": "Mid-cap shares close higher for a fifth session as festive-season bets hold",
    "paragraph": (
        "<strong>Update:</strong> At the close, the mid-cap index had gained for a fifth straight "
        "session, with consumer and auto stocks leading and metals the only sector to finish lower."
    ),
    "tag": "closing bell",
}

CORRECTION = {
    "article": "darjeeling-first-flush-tea-fetches-season-high-at-auction",
    "text": (
        "An earlier version of this story said the record lot weighed 200 kilograms. "
        "It weighed 20 kilograms."
    ),
}
