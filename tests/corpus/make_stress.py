#!/usr/bin/env python3
"""Write tests/corpus/good/stress.yaml: a large, valid trip file that stresses the layouts.

Deterministic (one fixed seed, stdlib only): running it twice gives the same bytes.

    python tests/corpus/make_stress.py

What it contains: `us` markings (default U, SBU and a few C portions, an authority block,
NOFORN); a home delegation of 50 (precedence 1..50), 15 hosts and a few third parties;
18 events (of 60 drawn) over 5 days at 3 stops in different time zones (Seoul, Riyadh,
Berlin; home New York), with tentative, proposed and cancelled items, events past midnight,
10-30 participants each with a role, objectives and talking points with `{issue: ...}`; 10
issue papers; Korean (Hangul), Arabic, Chinese and Japanese native names with
pronunciations; three ~1,000-word bios (each over a page); long unbroken strings (URL,
document id, e-mail address); flights, lodging, 10 contacts, risks, and press with a dozen
Q&A pairs. Its book is 80 pages (178 with all 60 events and 2,000-word bios: two minutes of
CPU to lay out, for no check the 80 pages do not make); tests/test_stress.py lays it out.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SEED = 20240513
OUT = Path(__file__).resolve().parent / "good" / "stress.yaml"

# --------------------------------------------------------------------------- emitter
# Block-style YAML with every string double-quoted through json.dumps (a JSON string is a
# valid YAML double-quoted scalar). Dates are written unquoted on purpose: the contract
# reads them as dates either way.


class Date(str):
    """A date, written unquoted."""


def scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, Date):
        return str(v)
    return json.dumps(str(v), ensure_ascii=False)


def emit(v, indent: int = 0) -> list[str]:
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(v, dict):
        for k, item in v.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{k}:")
                lines.extend(emit(item, indent + 1))
            elif isinstance(item, list):
                lines.append(f"{pad}{k}: []")
            elif isinstance(item, dict):
                lines.append(f"{pad}{k}: {{}}")
            else:
                lines.append(f"{pad}{k}: {scalar(item)}")
    elif isinstance(v, list):
        for item in v:
            if isinstance(item, dict) and item:
                sub = emit(item, indent + 1)
                first = sub[0].lstrip()
                lines.append(f"{pad}- {first}")
                lines.extend(sub[1:])
            elif isinstance(item, list) and item:
                lines.append(f"{pad}-")
                lines.extend(emit(item, indent + 1))
            else:
                lines.append(f"{pad}- {scalar(item)}")
    else:
        lines.append(pad + scalar(v))
    return lines


# --------------------------------------------------------------------------- prose
rng = random.Random(SEED)

SUBJECTS = [
    "The ministry",
    "Her office",
    "The delegation",
    "The committee",
    "His department",
    "The working group",
    "The embassy",
    "The council",
    "The task force",
    "The directorate",
    "Senior staff",
    "The planning cell",
    "The negotiating team",
    "The secretariat",
]
VERBS = [
    "oversaw",
    "negotiated",
    "drafted",
    "coordinated",
    "reviewed",
    "strengthened",
    "launched",
    "led",
    "expanded",
    "restructured",
    "championed",
    "advanced",
    "supervised",
    "streamlined",
]
OBJECTS = [
    "the regional maritime security framework",
    "a series of bilateral trade consultations",
    "the annual strategic dialogue",
    "the critical minerals partnership",
    "a multilateral export control review",
    "the joint statement on energy transition",
    "the consular cooperation arrangement",
    "the humanitarian corridor talks",
    "a long-delayed investment treaty",
    "the cyber norms working group",
    "the semiconductor supply-chain initiative",
    "the alliance cost-sharing negotiations",
    "a package of visa facilitation measures",
    "the port infrastructure programme",
]
PREPS = [
    "with counterparts in three capitals",
    "during a period of unusual political turbulence",
    "under tight deadlines set by the cabinet",
    "after lengthy consultations with industry",
    "despite resistance from several ministries",
    "in close cooperation with the legislature",
    "while serving as deputy head of mission",
    "over the course of two difficult years",
    "at the request of the head of government",
    "in the months before the summit",
]
OPENERS = [
    "",
    "",
    "",
    "In that role, ",
    "Colleagues note that ",
    "By most accounts, ",
    "Earlier, ",
    "At the same time, ",
    "Notably, ",
    "According to public reporting, ",
    "Subsequently, ",
]
TAILS = [
    "",
    "",
    "",
    ", earning a reputation as a careful and patient negotiator",
    ", a task that required sustained attention to detail",
    ", and is regarded as one of the architects of the current approach",
    ", which observers credit with reducing friction between the two sides",
    ", although the results were mixed",
    ", and later described the experience as formative",
]


def sentence() -> str:
    opener = rng.choice(OPENERS)
    subj = rng.choice(SUBJECTS)
    if opener:
        subj = subj[0].lower() + subj[1:]
    return f"{opener}{subj} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PREPS)}{rng.choice(TAILS)}."


def paragraph(n: int) -> str:
    return " ".join(sentence() for _ in range(n))


def long_bio(name: str, words: int = 1000) -> list[str]:
    paras = [
        f"{name} is a career official with more than three decades of service in foreign affairs, "
        f"trade and national security portfolios. " + paragraph(6)
    ]
    total = len(paras[0].split())
    while total < words:
        p = paragraph(rng.randint(7, 11))
        paras.append(p)
        total += len(p.split())
    return paras


def short_bio(name: str, title: str) -> list[str]:
    return [f"{name} has served as {title} since {rng.randint(2018, 2023)}. " + paragraph(2)]


# --------------------------------------------------------------------------- people
FIRST = [
    "James",
    "Maria",
    "Robert",
    "Linda",
    "Michael",
    "Patricia",
    "David",
    "Jennifer",
    "William",
    "Elizabeth",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Christopher",
    "Nancy",
    "Daniel",
    "Lisa",
    "Matthew",
    "Betty",
    "Anthony",
    "Margaret",
    "Mark",
    "Sandra",
    "Donald",
    "Ashley",
    "Steven",
    "Kimberly",
    "Paul",
    "Emily",
    "Andrew",
    "Donna",
]
LAST = [
    "Anderson",
    "Bennett",
    "Castillo",
    "Donovan",
    "Ellison",
    "Fitzgerald",
    "Gallagher",
    "Harrington",
    "Iverson",
    "Jacobsen",
    "Kowalski",
    "Lindqvist",
    "Montgomery",
    "Nakamura",
    "O'Sullivan",
    "Pemberton",
    "Quintero",
    "Rasmussen",
    "Schwarzenegger-Whitfield",
    "Thornton",
    "Underwood",
    "Vasquez",
    "Whitaker",
    "Xavier",
    "Yamamoto",
    "Zimmerman",
    "Abernathy",
    "Blackwood",
    "Cunningham",
    "Delacroix",
    "Eastwood",
    "Fairbanks",
    "Goldberg",
    "Hollingsworth",
    "Ingram",
    "Jefferson",
    "Kensington",
    "Lancaster",
    "Mayweather",
    "Northcott",
    "Oyelaran",
    "Prescott",
    "Radcliffe",
    "Stanislawski",
    "Trevelyan",
    "Upton",
    "Vanderbilt",
    "Wainwright",
    "Yarborough",
    "Zeller",
]
HOME_TITLES = [
    "Secretary of State",
    "U.S. Ambassador to the Republic of Korea",
    "U.S. Ambassador to the Kingdom of Saudi Arabia",
    "U.S. Ambassador to the Federal Republic of Germany",
    "Assistant Secretary of State for East Asian and Pacific Affairs",
    "Assistant Secretary of State for Near Eastern Affairs",
    "Assistant Secretary of State for European and Eurasian Affairs",
    "Chief of Staff",
    "Spokesperson",
    "Director of Policy Planning",
    "Executive Secretary",
    "Senior Advisor for Critical Minerals and Supply-Chain Resilience",
    "Deputy Assistant Secretary for Korea and Japan",
    "Deputy Assistant Secretary for the Arabian Peninsula",
    "Deputy Assistant Secretary for Central Europe",
    "Special Envoy for Energy Security",
    "Senior Director for East Asia, National Security Council",
    "Senior Director for the Middle East, NSC",
    "Director, Office of Korean Affairs",
    "Director, Office of Arabian Peninsula Affairs",
    "Director, Office of Central European Affairs",
    "Counselor of the Department",
    "Under Secretary for Economic Growth, Energy, and the Environment",
    "Legal Adviser",
    "Chief of Protocol",
    "Deputy Chief of Protocol",
    "Senior Interpreter (Korean)",
    "Senior Interpreter (Arabic)",
    "Interpreter (German)",
    "Special Assistant",
    "Special Assistant",
    "Line Officer",
    "Line Officer",
    "Trip Coordinator",
    "Advance Officer (Seoul)",
    "Advance Officer (Riyadh)",
    "Advance Officer (Berlin)",
    "Regional Security Officer",
    "Diplomatic Security Special Agent in Charge",
    "Press Officer",
    "Press Officer",
    "Speechwriter",
    "Photographer",
    "Communications Officer",
    "Medical Officer",
    "Note-taker",
    "Note-taker",
    "Staff Assistant",
    "Staff Assistant",
    "Policy Advisor for Non-Proliferation and Arms Control, Bureau of International Security",
]
assert len(HOME_TITLES) == 50

ROLES = [
    "principal",
    "note-taker",
    "interpreter",
    "control officer",
    "subject-matter expert",
    "delegation member",
    "host",
    "co-host",
    "counterpart",
    "greeter",
    "escort",
    "senior advisor, speaks on export controls and semiconductor supply chains",
    "observer",
    "press",
    "security",
]

people: dict[str, dict] = {}
home_ids: list[str] = []
used = set()
for i in range(50):
    while True:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if (first, last) not in used:
            used.add((first, last))
            break
    pid = f"{first}-{last}".lower().replace("'", "")
    title = HOME_TITLES[i]
    p: dict = {
        "name": f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}",
        "title": title,
        "organization": "U.S. Department of State"
        if "NSC" not in title and "National Security" not in title
        else "National Security Council",
        "country": "US",
        "side": "home",
        "precedence": i + 1,
    }
    if i == 0:
        p["address_as"] = "Madam Secretary"
    if i in (5, 17, 33):
        p["status"] = ["expected", "tentative", "unverified"][(5, 17, 33).index(i)]
    if i % 4 == 1:
        p["bio"] = short_bio(p["name"], title)
        p["bio_as_of"] = Date("2024-05-01")
    if i == 26:  # Korean-American interpreter: Hangul on the home side
        p["name"] = "Grace Y. Park"
        p["native_name"] = "박영희"
        p["lang"] = "ko"
        p["pronunciation"] = "PAHK yung-HEE"
    if i == 27:
        p["name"] = "Omar K. Haddad"
        p["native_name"] = "عمر حداد"
        p["lang"] = "ar"
        p["pronunciation"] = "OH-mar had-DAAD"
    if i == 9:
        p["notes"] = [
            {
                "text": "Holds the pen on the **critical minerals** non-paper; see "
                "REF-2024-0000000000000000000000000000-XYZ for the cleared text.",
                "mark": "SBU",
            }
        ]
    people[pid] = p
    home_ids.append(pid)
principal = home_ids[0]

# hosts: (id, name, native, lang, pron, title, org, country, stop index, address_as)
HOSTS = [
    (
        "park-ji-hoon",
        "Park Ji-hoon",
        "박지훈",
        "ko",
        "PAHK jee-HOON",
        "Minister of Foreign Affairs",
        "Ministry of Foreign Affairs of the Republic of Korea",
        "KR",
        0,
        "Minister Park",
    ),
    (
        "lee-seo-yeon",
        "Lee Seo-yeon",
        "이서연",
        "ko",
        "LEE suh-YUN",
        "First Vice Minister of Foreign Affairs",
        "Ministry of Foreign Affairs of the Republic of Korea",
        "KR",
        0,
        "Vice Minister Lee",
    ),
    (
        "choi-min-ho",
        "Choi Min-ho",
        "최민호",
        "ko",
        "CHWAY min-HO",
        "Minister of Trade, Industry and Energy",
        "Ministry of Trade, Industry and Energy",
        "KR",
        0,
        "Minister Choi",
    ),
    (
        "jung-ha-eun",
        "Jung Ha-eun",
        "정하은",
        "ko",
        "JUNG ha-UN",
        "Director-General for North American Affairs",
        "Ministry of Foreign Affairs of the Republic of Korea",
        "KR",
        0,
        None,
    ),
    (
        "yoon-soo-jin",
        "Yoon Soo-jin",
        "윤수진",
        "ko",
        "YOON soo-JIN",
        "National Security Advisor",
        "Office of the President of the Republic of Korea",
        "KR",
        0,
        "Director Yoon",
    ),
    (
        "han-jae-sung",
        "Han Jae-sung",
        "한재성",
        "ko",
        "HAHN jeh-SUNG",
        "Deputy Minister for Multilateral Affairs",
        "Ministry of Foreign Affairs of the Republic of Korea",
        "KR",
        0,
        None,
    ),
    (
        "abdullah-al-otaibi",
        "Abdullah bin Khalid Al-Otaibi",
        "عبد الله بن خالد العتيبي",
        "ar",
        "ab-DUL-lah bin KHAA-lid al-oh-TAY-bee",
        "Minister of Foreign Affairs",
        "Ministry of Foreign Affairs of the Kingdom of Saudi Arabia",
        "SA",
        1,
        "Your Highness",
    ),
    (
        "faisal-al-qahtani",
        "Faisal Al-Qahtani",
        "فيصل القحطاني",
        "ar",
        "FAI-sal al-qah-TAA-nee",
        "Minister of State for Foreign Affairs",
        "Ministry of Foreign Affairs",
        "SA",
        1,
        "Your Excellency",
    ),
    (
        "noura-al-dosari",
        "Noura bint Saad Al-Dosari",
        "نورة بنت سعد الدوسري",
        "ar",
        "NOO-rah bint SAAD ad-DOH-sa-ree",
        "Deputy Minister for Public Diplomacy",
        "Ministry of Foreign Affairs",
        "SA",
        1,
        "Your Excellency",
    ),
    (
        "mohammed-al-harbi",
        "Mohammed Al-Harbi",
        "محمد الحربي",
        "ar",
        "mo-HAM-med al-HAR-bee",
        "Minister of Energy (Acting)",
        "Ministry of Energy",
        "SA",
        1,
        "Your Royal Highness",
    ),
    (
        "saud-al-shammari",
        "Saud Al-Shammari",
        "سعود الشمري",
        "ar",
        "sa-OOD ash-SHAM-ma-ree",
        "Governor, Public Investment Fund Strategic Partnerships Office",
        "Public Investment Fund",
        "SA",
        1,
        None,
    ),
    (
        "reem-al-ghamdi",
        "Reem Al-Ghamdi",
        "ريم الغامدي",
        "ar",
        "REEM al-GHAM-dee",
        "Director-General of Protocol",
        "Royal Protocol",
        "SA",
        1,
        None,
    ),
    (
        "katharina-vogel",
        "Katharina Vogel",
        None,
        None,
        "ka-ta-REE-na FOH-gel",
        "Federal Minister for Foreign Affairs",
        "Auswärtiges Amt",
        "DE",
        2,
        "Minister Vogel",
    ),
    (
        "matthias-schroeder",
        "Matthias Schröder",
        None,
        None,
        "ma-TEE-as SHRUH-der",
        "State Secretary, Federal Foreign Office",
        "Auswärtiges Amt",
        "DE",
        2,
        "State Secretary Schröder",
    ),
    (
        "friederike-hohenstein",
        "Friederike Freifrau von Hohenstein-Waldburg-Zeil",
        None,
        None,
        "free-de-REE-ke fon HOH-en-shtine VALD-boork TSILE",
        "Political Director and Ambassador-at-Large for Energy Security and Raw Materials Diplomacy",
        "Auswärtiges Amt",
        "DE",
        2,
        "Ambassador von Hohenstein",
    ),
]
host_by_stop: dict[int, list[str]] = {0: [], 1: [], 2: []}
for n, (pid, name, native, lang, pron, title, org, cc, stop, addr) in enumerate(HOSTS):
    prec = len(host_by_stop[stop]) + 1
    p = {"name": name}
    if native:
        p["native_name"] = native
        p["lang"] = lang
    p.update(
        {
            "pronunciation": pron,
            "title": title,
            "organization": org,
            "country": cc,
            "side": "host",
            "precedence": prec,
        }
    )
    if addr:
        p["address_as"] = addr
    if n in (4, 9):
        p["status"] = "tentative"
    p["bio"] = short_bio(name, title)
    p["bio_as_of"] = Date("2024-05-01")
    people[pid] = p
    host_by_stop[stop].append(pid)

THIRD = [
    (
        "zhang-wei",
        "Zhang Wei",
        "张伟",
        "zh-Hans",
        "JAHNG WAY",
        "Ambassador of the People's Republic of China to the Republic of Korea",
        "CN",
    ),
    (
        "liu-yang",
        "Liu Yang",
        "刘洋",
        "zh-Hans",
        "LYOH YAHNG",
        "Special Envoy for Middle East Affairs",
        "CN",
    ),
    (
        "tanaka-hiroshi",
        "Tanaka Hiroshi",
        "田中浩",
        "ja",
        "ta-NA-ka hee-RO-shee",
        "Minister for Foreign Affairs of Japan",
        "JP",
    ),
    (
        "sato-yuki",
        "Sato Yuki",
        "佐藤由紀",
        "ja",
        "SAH-toh YOO-kee",
        "Director-General, Asian and Oceanian Affairs Bureau",
        "JP",
    ),
    (
        "chen-mei-ling",
        "Chen Mei-ling",
        "陳美玲",
        "zh-Hant",
        "CHUN may-LING",
        "Representative, Taipei Economic and Cultural Office",
        "TW",
    ),
]
third_ids = []
for n, (pid, name, native, lang, pron, title, cc) in enumerate(THIRD):
    people[pid] = {
        "name": name,
        "native_name": native,
        "lang": lang,
        "pronunciation": pron,
        "title": title,
        "country": cc,
        "side": "third",
        "precedence": n + 1,
        "status": "expected" if n % 2 else "confirmed",
    }
    third_ids.append(pid)

# three ~2,000-word bios: the principal's counterpart in each capital... and one of ours
for pid in ("park-ji-hoon", "abdullah-al-otaibi", home_ids[1]):
    people[pid]["bio"] = long_bio(people[pid]["name"])
people["abdullah-al-otaibi"]["bio"][1] = {
    "text": people["abdullah-al-otaibi"]["bio"][1]
    + " Privately, he has signalled flexibility on the sequencing of the energy package.",
    "mark": "C",
}
people[home_ids[1]]["bio_as_of"] = Date("2024-05-01")
people["park-ji-hoon"]["notes"] = [
    "Prefers to open in English, then switch to consecutive interpretation.",
    {
        "text": "Reportedly under pressure from the National Assembly on cost-sharing.",
        "mark": "SBU",
    },
]

# --------------------------------------------------------------------------- issues
ISSUES = [
    ("cost-sharing", "Alliance cost-sharing and force posture on the Korean Peninsula", 1),
    ("dprk-missiles", "DPRK ballistic missile launches and sanctions enforcement", 1),
    ("chips", "Semiconductor export controls and supply-chain resilience", 1),
    ("critical-minerals", "Critical minerals partnership and processing capacity", 2),
    ("red-sea", "Red Sea shipping security and maritime domain awareness", 1),
    ("energy-transition", "Oil market stability and the energy transition", 2),
    ("gaza-humanitarian", "Humanitarian access and reconstruction planning", 1),
    ("ukraine-support", "Support for Ukraine: air defence, reconstruction, frozen assets", 1),
    ("cyber-norms", "Cyber norms, ransomware and critical infrastructure protection", 3),
    ("visa-reciprocity", "Visa reciprocity, student exchanges and consular cases", 3),
]


def texts(n: int, prefix: str = "", marks=(None,)) -> list:
    out = []
    for _ in range(n):
        s = prefix + sentence()
        m = rng.choice(marks)
        out.append({"text": s, "mark": m} if m else s)
    return out


issues = []
for k, (iid, title, prio) in enumerate(ISSUES):
    issue = {
        "id": iid,
        "title": {"text": title, "mark": "SBU"} if k % 3 == 0 else title,
        "priority": prio,
        "background": [paragraph(4), {"text": paragraph(3), "sources": [f"src-{k % 4 + 1}"]}],
        "our_position": texts(2),
        "their_position": texts(2, marks=("SBU", "SBU", None)),
        "points_to_make": texts(rng.randint(4, 6)),
        "if_raised": texts(2),
    }
    if k == 2:
        issue["their_position"].append(
            {
                "text": "Assessed to be prepared to accept a phased licensing regime if "
                "the carve-out for legacy nodes is preserved.",
                "mark": "C",
            }
        )
    issues.append(issue)
issue_ids = [i[0] for i in ISSUES]
STOP_ISSUES = {
    0: ["cost-sharing", "dprk-missiles", "chips", "visa-reciprocity", "cyber-norms"],
    1: ["red-sea", "energy-transition", "gaza-humanitarian", "critical-minerals"],
    2: ["ukraine-support", "chips", "critical-minerals", "energy-transition", "cyber-norms"],
}

# --------------------------------------------------------------------------- agenda
DAYS = ["2024-05-13", "2024-05-14", "2024-05-15", "2024-05-16", "2024-05-17"]
STOP_OF_DAY = [0, 0, 1, 1, 2]
LOCATIONS = {
    0: [
        "Ministry of Foreign Affairs (외교부), Seoul",
        "Blue House Guest House (청와대 영빈관)",
        "Lotte Hotel Seoul, Crystal Ballroom",
        "U.S. Embassy Seoul",
        "Korea International Trade Association, COEX",
    ],
    1: [
        "Al Yamamah Palace (قصر اليمامة), Riyadh",
        "Ministry of Foreign Affairs, Diplomatic Quarter, Riyadh",
        "Ritz-Carlton Riyadh",
        "U.S. Embassy Riyadh",
        "King Abdullah Financial District (مركز الملك عبدالله المالي)",
    ],
    2: [
        "Auswärtiges Amt, Werderscher Markt 1, 10117 Berlin",
        "Bundeskanzleramt, Willy-Brandt-Straße 1",
        "Hotel Adlon Kempinski",
        "U.S. Embassy Berlin, Pariser Platz 2",
        "Villa Borsig, Tegel",
    ],
}
SLOTS = [
    ("06:30", "07:15"),
    ("07:30", "08:30"),
    ("08:45", "09:45"),
    ("10:00", "11:30"),
    ("11:45", "12:30"),
    ("12:45", "14:00"),
    ("14:15", "15:30"),
    ("15:45", "16:45"),
    ("17:00", "18:00"),
    ("18:30", "20:00"),
    ("20:15", "22:00"),
    ("23:00", "00:45"),
]
KIND_CYCLE = [
    "meeting",
    "meeting",
    "meal",
    "press",
    "meeting",
    "ceremony",
    "hold",
    "meeting",
    "other",
    "meeting",
    "meal",
    "meeting",
]
PRESS_CYCLE = ["open", "pool", "photo-op", "closed", None]
TITLES = {
    "meeting": [
        "Bilateral meeting with {h}",
        "Restricted session with {h}",
        "Expanded plenary with {h} and delegations",
        "Pull-aside with {h}",
        "Roundtable with business leaders hosted by {h}",
    ],
    "meal": [
        "Working breakfast with {h}",
        "Official lunch hosted by {h}",
        "Working dinner hosted by {h}",
    ],
    "press": [
        "Joint press availability with {h}",
        "Press gaggle on the plane",
        "Interview with local broadcaster",
    ],
    "ceremony": [
        "Wreath-laying ceremony",
        "Signing ceremony for the memorandum of understanding, with {h}",
        "Official welcome ceremony",
    ],
    "hold": ["Hold: staff time and preparation", "Hold: secure call with Washington"],
    "other": [
        "Embassy meet-and-greet with staff and families",
        "Site visit: port and logistics hub",
        "Visit to a semiconductor fabrication plant",
    ],
}

agenda = []
n = 0
for d, day in enumerate(DAYS):
    stop = STOP_OF_DAY[d]
    for s, (start, end) in enumerate(SLOTS):
        n += 1
        kind = KIND_CYCLE[(s + d) % len(KIND_CYCLE)]
        hosts = host_by_stop[stop]
        lead = hosts[(s + d) % len(hosts)]
        h = people[lead]["name"]
        title = rng.choice(TITLES[kind]).format(h=h)
        ev: dict = {"id": f"ev-{n:02d}"}
        if n % 5 == 0:
            ev["title"] = {"text": title, "mark": "SBU"}
        elif n == 23:
            ev["title"] = {"text": title + " (restricted format)", "mark": "C"}
        else:
            ev["title"] = title
        ev["date"] = Date(day)
        # travel between stops: the last slot of day 2 and day 4 is a departure past midnight,
        # the first slot of day 3 and day 5 an arrival
        if d in (1, 3) and s == 11:
            kind = "departure"
            ev["title"] = f"Depart {['Seoul', 'Riyadh'][d // 2]} for {['Riyadh', 'Berlin'][d // 2]}"
            start, end = "23:30", None
        if d in (2, 4) and s == 0:
            kind = "arrival"
            ev["title"] = {"text": f"Arrive {['Riyadh', 'Berlin'][d // 2 - 1]}", "mark": "SBU"}
            start, end = ("04:10", None) if d == 2 else ("05:55", None)
        if n == 60:
            kind = "departure"
            ev["title"] = "Depart Berlin for Washington"
            start, end = "21:30", None
        if n in (31, 44):  # no time at all: listed last on its day
            ev.pop("date")
            ev["date"] = Date(day)
        else:
            ev["start"] = start
            if n == 47:
                end = "00:10"  # a third event past midnight
            if end and n != 58:
                ev["end"] = end
        if n == 1:
            ev["timezone"] = "Asia/Seoul"
        ev["location"] = LOCATIONS[stop][(s + n) % len(LOCATIONS[stop])]
        if n == 17:
            ev["location"] = (
                "Ministry of Trade, Industry and Energy, Government Complex Sejong, 402 Hannuri-daero, "
                "Sejong-si, Republic of Korea (motorcade approx. 2 hours each way from Seoul)"
            )
        ev["kind"] = kind
        if n % 7 == 3:
            ev["status"] = "tentative"
        elif n % 11 == 5:
            ev["status"] = "proposed"
        elif n % 13 == 6:
            ev["status"] = "cancelled"
        pr = PRESS_CYCLE[n % len(PRESS_CYCLE)]
        if pr:
            ev["press"] = pr
        # participants: 10-30, the principal first, then a mix of home, host and third
        k = rng.randint(10, 30)
        n_host = min(len(hosts), rng.randint(2, len(hosts)))
        n_third = rng.choice([0, 0, 0, 1, 2])
        n_home = max(1, k - n_host - n_third - 1)
        chosen = [
            principal,
            *rng.sample(home_ids[1:], n_home),
            *rng.sample(hosts, n_host),
            *rng.sample(third_ids, n_third),
        ]
        parts = []
        for pid in chosen:
            if pid == principal:
                role = "principal"
            elif pid == lead:
                role = "host"
            elif pid in hosts:
                role = rng.choice(
                    ["counterpart", "delegation member", "interpreter", "observer", "escort"]
                )
            elif pid in third_ids:
                role = "observer"
            else:
                role = rng.choice(ROLES[1:6] + ROLES[11:12] + ROLES[13:])
            parts.append({"person": pid, "role": role})
        ev["participants"] = parts
        ev["objectives"] = texts(rng.randint(2, 4), marks=(None, None, "SBU"))
        if n == 23:
            ev["objectives"].append(
                {
                    "text": "Test whether the host will commit to the phased licensing regime in "
                    "private before the joint statement is drafted.",
                    "mark": "C",
                }
            )
        tps: list = texts(rng.randint(2, 4), marks=(None, "SBU"))
        for iid in rng.sample(STOP_ISSUES[stop], rng.randint(1, 3)):
            tps.insert(rng.randint(0, len(tps)), {"issue": iid})
        ev["talking_points"] = tps
        notes: list = []
        if n % 4 == 0:
            notes.append(
                "Consecutive interpretation; allow double time. **Seating:** principal faces the door."
            )
        if n in (9, 38):
            notes.append(
                "Cleared text is filed as REF-2024-0000000000000000000000000000-XYZ; "
                "hand-carry copies only."
            )
        if n == 12:
            notes.append("Expected to run past midnight; next morning's first event is a hold.")
        if n == 40:
            notes.append(
                "Raw HTML stays text: <b>not bold</b> & <script>alert(1)</script>; braces stay {{ typed }}."
            )
        if ev.get("status") == "cancelled":
            notes.append(
                {
                    "text": "Cancelled by the host on May 10; do not refer to it publicly.",
                    "mark": "SBU",
                }
            )
        if notes:
            ev["notes"] = notes
        agenda.append(ev)
assert len(agenda) == 60
# The book lays out 60 event sheets in 178 pages (two minutes of CPU): the agenda kept is
# the 18 events that carry what the layouts are stressed with (every kind and status, the
# SBU and C titles, a time zone of its own, no time at all, no end, past midnight, the
# departures and arrivals between stops, the longest location, the raw HTML, the REF string,
# 10 to 30 participants); the others are drawn all the same, so the rest stays as it was.
KEEP = {1, 4, 6, 9, 12, 17, 23, 24, 25, 30, 31, 40, 44, 47, 48, 49, 58, 60}
agenda = [ev for ev in agenda if int(ev["id"].removeprefix("ev-")) in KEEP]
assert len(agenda) == len(KEEP)

# --------------------------------------------------------------------------- the rest
LONG_URL = (
    "https://www.example.gov/reports/2024/05/bilateral-relations/critical-minerals-and-semiconductor-"
    "supply-chains/annex-c-statistical-tables-final.pdf"
)
assert len(LONG_URL) >= 120, len(LONG_URL)
sources = [
    {
        "id": "src-1",
        "title": "Joint Fact Sheet: Alliance Modernization and Economic Security",
        "publisher": "The White House",
        "url": "https://www.whitehouse.gov/briefing-room/",
        "date": Date("2024-04-26"),
    },
    {
        "id": "src-2",
        "title": "Critical Minerals and Semiconductor Supply Chains: Annex C, Statistical Tables",
        "publisher": "U.S. Department of Commerce",
        "url": LONG_URL,
        "date": Date("2024-03-15"),
    },
    {
        "id": "src-3",
        "title": "Red Sea Shipping Disruptions: Situation Update No. 14",
        "publisher": "International Maritime Organization",
    },
    {
        "id": "src-4",
        "title": "한미 외교장관 회담 결과 (Results of the ROK-U.S. Foreign Ministers' Meeting)",
        "publisher": "외교부 (Ministry of Foreign Affairs, ROK)",
        "date": Date("2024-02-22"),
    },
    {
        "id": "src-5",
        "title": "بيان مشترك (Joint Statement)",
        "publisher": "وكالة الأنباء السعودية (Saudi Press Agency)",
    },
]

QA = [
    (
        "Will you announce new troop numbers on the Peninsula?",
        "We do not preview force-posture decisions; our commitment is ironclad.",
    ),
    (
        "Is the cost-sharing agreement dead?",
        "No. Negotiations continue and both sides want a durable outcome.",
    ),
    (
        "Did you discuss chip export controls with Minister Choi?",
        "We discussed how to keep our supply chains secure and resilient together.",
    ),
    (
        "What about reports of a new DPRK nuclear test?",
        "We are watching closely with our ally and with Japan; any test would be met with a firm response.",
    ),
    (
        "Will Saudi Arabia normalize relations with Israel?",
        "That is for the parties. We support steps toward a more integrated, stable region.",
    ),
    (
        "Are you asking Riyadh to raise oil output?",
        "Energy markets came up, as they always do. I will not characterize our partners' decisions.",
    ),
    (
        "What did the Crown Prince say about Gaza?",
        "I will let our hosts speak for themselves. Our focus is humanitarian access and a path to lasting peace.",
    ),
    (
        "Is the Red Sea coalition working?",
        "Attacks have fallen but not stopped. We are working with partners to protect freedom of navigation.",
    ),
    (
        "Will Germany send more air defence to Ukraine?",
        "Germany has been a leader. We discussed what more all of us can do, urgently.",
    ),
    (
        "Are you using frozen Russian assets?",
        "We are working with G7 partners on options consistent with international law.",
    ),
    (
        "How do you respond to Chinese criticism of this trip?",
        "This trip is about our partners and our shared interests; it is not directed at any third country.",
    ),
    (
        "Was the cancelled breakfast in Riyadh a snub?",
        "Not at all. Schedules change; we had substantive time with our hosts throughout.",
    ),
]

data = {
    "briefgen": 1,
    "memo": {
        "type": "Briefing Memo",
        "to": "The Secretary",
        "from": [
            "EAP – Assistant Secretary for East Asian and Pacific Affairs",
            "NEA – Assistant Secretary for Near Eastern Affairs",
            "EUR – Assistant Secretary for European and Eurasian Affairs",
        ],
        "through": [
            "P – Under Secretary for Political Affairs",
            "E – Under Secretary for Economic Growth",
        ],
        "date": Date("2024-05-08"),
        "subject": {
            "text": "Your Travel to Seoul, Riyadh and Berlin, May 13–17, 2024",
            "mark": "SBU",
        },
        "drafted_by": "EAP/K – [drafter placeholder], ext. [0000], May 8, 2024",
        "cleared_by": [
            "EAP/K – [clearer] (ok)",
            "NEA/ARP – [clearer] (ok)",
            "EUR/CE – [clearer] (ok)",
            "ISN – [clearer] (info)",
            "S/P – [clearer] (ok)",
            "L – [clearer] (ok)",
            "S/ES-O – [clearer] (ok)",
            "D – [clearer] (info)",
        ],
    },
    "markings": {
        "system": "us",
        "default": "U",
        "controls": ["NOFORN"],
        "authority": {
            "classified_by": "[Name placeholder], Deputy Assistant Secretary, EAP",
            "reason": "1.4(b), (d)",
            "declassify_on": "2049-05-08",
        },
    },
    "trip": {
        "title": "Secretary's Travel to Seoul, Riyadh and Berlin",
        "principal": principal,
        "home_timezone": "America/New_York",
        "home_place": "Washington",
        "start": Date(DAYS[0]),
        "end": Date(DAYS[-1]),
        "stops": [
            {
                "place": "Seoul",
                "country": "KR",
                "timezone": "Asia/Seoul",
                "from": Date(DAYS[0]),
                "to": Date(DAYS[1]),
            },
            {
                "place": "Riyadh",
                "country": "SA",
                "timezone": "Asia/Riyadh",
                "from": Date(DAYS[2]),
                "to": Date(DAYS[3]),
            },
            {
                "place": "Berlin",
                "country": "DE",
                "timezone": "Europe/Berlin",
                "from": Date(DAYS[4]),
                "to": Date(DAYS[4]),
            },
        ],
    },
    "purpose": [
        {
            "text": "Reaffirm the alliance with the Republic of Korea, advance economic-security cooperation with "
            "Saudi Arabia, and align with Germany on Ukraine and supply chains. " + paragraph(2),
            "sources": ["src-1"],
        },
        {
            "text": "Lock in the **critical minerals** framework before the G7 summit. "
            + paragraph(2),
            "mark": "SBU",
        },
        {
            "text": "Obtain private assurances on the phased licensing regime ahead of the joint statement.",
            "mark": "C",
        },
    ],
    "goals": [
        {
            "text": "Reaffirm extended deterrence commitments and close the cost-sharing gap.",
            "kind": "objective",
            "priority": 1,
        },
        {
            "text": "Agree a Red Sea maritime awareness arrangement with Riyadh.",
            "kind": "objective",
            "priority": 1,
            "mark": "SBU",
        },
        {
            "text": "Secure German support for a further air-defence package for Ukraine.",
            "kind": "objective",
            "priority": 1,
        },
        {
            "text": "Signed critical minerals memorandum of understanding with the ROK.",
            "kind": "deliverable",
            "priority": 2,
        },
        {
            "text": "Joint statement on energy market stability with Saudi Arabia.",
            "kind": "deliverable",
            "priority": 2,
        },
        {
            "text": "Announcement of a trilateral (U.S.–ROK–Germany) semiconductor working group.",
            "kind": "deliverable",
            "priority": 3,
        },
        {
            "text": "No breakthrough on normalization is expected; manage expectations publicly.",
            "kind": "expectation",
        },
        {
            "text": "Hosts will raise export controls at every stop.",
            "kind": "expectation",
            "mark": "SBU",
        },
        {
            "text": "No linkage between force posture and cost-sharing figures.",
            "kind": "red-line",
            "mark": "C",
        },
        {
            "text": "No public commitment on frozen-asset mechanisms ahead of the G7.",
            "kind": "red-line",
        },
    ],
    "scenesetter": [
        paragraph(5),
        {"text": paragraph(4), "mark": "SBU"},
        paragraph(4),
        paragraph(3),
    ],
    "their_objectives": texts(5, marks=("SBU", "SBU", None)),
    "people": people,
    "agenda": agenda,
    "issues": issues,
    "press": {
        "posture": [
            "Proactive in Seoul and Berlin; reactive in Riyadh.",
            {"text": paragraph(2), "mark": "SBU"},
        ],
        "key_messages": texts(5),
        "qa": [
            {"q": q, "a": a if i % 4 else {"text": a + " " + paragraph(2), "mark": "SBU"}}
            for i, (q, a) in enumerate(QA)
        ],
    },
    "risks": [
        {
            "text": {
                "text": "A DPRK missile launch during the Seoul stop dominates coverage.",
                "mark": "SBU",
            },
            "likelihood": "high",
            "impact": "medium",
            "mitigation": [
                "Holding lines cleared with the Spokesperson in advance.",
                "Trilateral call pre-scheduled.",
            ],
        },
        {
            "text": "Houthi attack on commercial shipping during the Riyadh stop.",
            "likelihood": "medium",
            "impact": "high",
            "mitigation": "Coordinate statements with partners; use it to press the maritime awareness arrangement.",
        },
        {
            "text": {"text": "Host leaks the cost-sharing figures before agreement.", "mark": "C"},
            "likelihood": "low",
            "impact": "high",
            "mitigation": "Share numbers orally only.",
        },
        {
            "text": "Overnight dinners compress rest before the long Riyadh–Berlin leg.",
            "likelihood": "high",
            "impact": "low",
            "mitigation": "Protect the morning hold on May 17.",
        },
        {
            "text": "Protests at the Berlin venue.",
            "likelihood": "medium",
            "impact": "low",
            "mitigation": "Alternate motorcade route via Dorotheenstraße.",
        },
    ],
    "logistics": {
        "flights": [
            {
                "flight": "SAM 22 [mission no. TBC]",
                "from": "Joint Base Andrews (ADW)",
                "to": "Seoul Gimpo (GMP)",
                "depart": "2024-05-11 22:00",
                "depart_timezone": "America/New_York",
                "arrive": "2024-05-13 05:10",
                "arrive_timezone": "Asia/Seoul",
                "notes": "Refuelling stop at Elmendorf (ANC); crosses the date line.",
            },
            {
                "flight": "SAM 22",
                "from": "Seoul Gimpo (GMP)",
                "to": "Riyadh King Khalid (RUH)",
                "depart": "2024-05-14 23:30",
                "depart_timezone": "Asia/Seoul",
                "arrive": "2024-05-15 04:10",
                "arrive_timezone": "Asia/Riyadh",
                "notes": "About 10h40.",
            },
            {
                "flight": "SAM 22",
                "from": "Riyadh King Khalid (RUH)",
                "to": "Berlin Brandenburg (BER)",
                "depart": "2024-05-16 23:30",
                "depart_timezone": "Asia/Riyadh",
                "arrive": "2024-05-17 05:55",
                "arrive_timezone": "Europe/Berlin",
            },
            {
                "flight": "SAM 22",
                "from": "Berlin Brandenburg (BER)",
                "to": "Joint Base Andrews (ADW)",
                "depart": "2024-05-17 21:30",
                "depart_timezone": "Europe/Berlin",
                "arrive": "2024-05-18 00:20",
                "arrive_timezone": "America/New_York",
                "notes": "Arrives after the trip's last day (Washington time).",
            },
        ],
        "lodging": [
            {
                "place": "Lotte Hotel Seoul",
                "address": "30 Eulji-ro, Jung-gu, Seoul 04533 (서울특별시 중구 을지로 30)",
                "from": Date(DAYS[0]),
                "to": Date(DAYS[1]),
            },
            {
                "place": "Ritz-Carlton Riyadh",
                "address": "Al Hada Area, Mekkah Road, Riyadh 11493 (الرياض)",
                "from": Date(DAYS[2]),
                "to": Date(DAYS[3]),
                "notes": "Day room held until the late departure.",
            },
            {
                "place": "Hotel Adlon Kempinski",
                "address": "Unter den Linden 77, 10117 Berlin",
                "from": Date(DAYS[4]),
                "to": Date(DAYS[4]),
            },
        ],
        "notes": [
            "**Time differences:** Seoul is 13 hours ahead of Washington (EDT), Riyadh 7, Berlin 6.",
            {
                "text": "Device security: assume all communications are monitored at every stop.",
                "mark": "SBU",
            },
            "Reference file REF-2024-0000000000000000000000000000-XYZ holds the gift list.",
        ],
    },
    "contacts": [
        {
            "name": "[Control officer, Seoul]",
            "role": "Control Officer",
            "organization": "U.S. Embassy Seoul",
            "phone": "+82 2 0000 0000",
            "email": "control.officer.seoul.secretary.visit.may2024.team@state-department.example.invalid",
            "mark": "SBU",
        },
        {
            "name": "[Duty officer, Seoul]",
            "role": "Embassy Duty Officer (24/7)",
            "organization": "U.S. Embassy Seoul",
            "phone": "+82 2 0000 0001",
            "mark": "SBU",
        },
        {
            "name": "[Control officer, Riyadh]",
            "role": "Control Officer",
            "organization": "U.S. Embassy Riyadh",
            "phone": "+966 11 000 0000",
            "mark": "SBU",
        },
        {
            "name": "[Duty officer, Riyadh]",
            "role": "Embassy Duty Officer (24/7)",
            "organization": "U.S. Embassy Riyadh",
            "phone": "+966 11 000 0001",
            "mark": "SBU",
        },
        {
            "name": "[Control officer, Berlin]",
            "role": "Control Officer",
            "organization": "U.S. Embassy Berlin",
            "phone": "+49 30 0000 0000",
            "mark": "SBU",
        },
        {
            "name": "[Duty officer, Berlin]",
            "role": "Embassy Duty Officer (24/7)",
            "organization": "U.S. Embassy Berlin",
            "phone": "+49 30 0000 0001",
        },
        {
            "name": "[Line officer]",
            "role": "S/S Line Officer (traveling)",
            "organization": "Executive Secretariat",
            "phone": "+1 202 000 0000",
            "email": "[email placeholder]",
        },
        {
            "name": "[Desk officer]",
            "role": "Korea Desk (EAP/K)",
            "organization": "U.S. Department of State",
            "phone": "+1 202 000 0001",
        },
        {
            "name": "[Desk officer]",
            "role": "Arabian Peninsula Desk (NEA/ARP)",
            "organization": "U.S. Department of State",
            "phone": "+1 202 000 0002",
        },
        {
            "name": "[Operations Center]",
            "role": "Watch Officer",
            "organization": "S/ES-O",
            "phone": "+1 202 000 0003",
            "mark": "C",
        },
    ],
    "sources": sources,
}


def main() -> None:
    header = (
        "# Generated by tests/corpus/make_stress.py -- do not edit by hand.\n"
        "# A large, valid trip file for looking at page breaks, wrapping and scripts.\n"
    )
    text = header + "\n".join(emit(data)) + "\n"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(text.encode('utf-8')):,} bytes)")


if __name__ == "__main__":
    main()
