"""The demo content `seed_site` builds: the society's real facts, as plain data.

Names, titles, dates, places, links and figures are transcribed from the society's
content brief (the text of smopak.com) and a few public facts about its DLBCL work.
Longer prose is a shorter summary in our own words. Nothing here is invented: where
the brief is silent (a date, a place, an organiser) the field is left blank or marked
as unknown. Staff replace the prose with the final text through the CMS.

This module holds data only; `home.seed.builder` turns it into pages and records.
"""

import datetime as dt

# --- The society -------------------------------------------------------------------

ORGANISATION_NAME = "Society of Medical Oncology Pakistan"
SHORT_NAME = "SMOP"
FOUNDED = 2018

SITE_SETTINGS = {
    "organisation_name": ORGANISATION_NAME,
    "short_name": SHORT_NAME,
    # No contact details or social links are given in the brief, so none are seeded.
    "footer_text": (
        "The Society of Medical Oncology Pakistan (SMOP), founded in 2018 to improve "
        "cancer care through the education of doctors working in oncology."
    ),
}

# A site to create only when the database has none at all.
DEFAULT_SITE = {"hostname": "localhost", "port": 80, "site_name": SHORT_NAME}

# --- Placeholder images --------------------------------------------------------------
# No photographs exist in the brief: these are generated at seed time and say so.

HERO_IMAGE = {
    "key": "hero",
    "title": "Placeholder: home page banner",
    "alt_text": "Placeholder image: a blue-grey gradient with the word 'Placeholder'.",
    "filename": "placeholder-home-banner.jpg",
    "size": (1600, 900),
    "colours": ("#2f4858", "#86a3b3"),
}

GALLERY_IMAGES = [
    {
        "key": f"gallery-{number}",
        "title": f"Placeholder: gallery image {number} of 4",
        "alt_text": f"Placeholder image {number} of 4: a plain gradient, not a photograph.",
        "filename": f"placeholder-gallery-{number}.jpg",
        "size": (1200, 800),
        "colours": colours,
    }
    for number, colours in enumerate(
        [
            ("#3d5a6c", "#a7bcc7"),
            ("#4a5d4f", "#b2c2b5"),
            ("#5b4f63", "#c0b5c6"),
            ("#5f5a4a", "#c9c3ae"),
        ],
        start=1,
    )
]

IMAGES = [HERO_IMAGE, *GALLERY_IMAGES]

# --- People ------------------------------------------------------------------------

SPECIALTIES = [
    {"name": "Medical oncology", "slug": "medical-oncology"},
    {"name": "Haematology", "slug": "haematology"},
]

ROLES = [{"name": "President", "slug": "president", "sort_order": 0}]

PRESIDENT_ROLE = "president"

# The brief names one person. Institution, city and term dates are not given.
PEOPLE = [
    {
        "slug": "zeba-aziz",
        "honorific": "Dr.",
        "first_name": "Zeba",
        "last_name": "Aziz",
        "designation": "Professor of Oncology, Consultant Oncologist / Hematologist",
        "specialties": ["medical-oncology", "haematology"],
        "listed_in_directory": True,
        # Term dates are not recorded: an open term on both ends.
        "terms": [{"role": "president", "start_date": None, "end_date": None}],
    }
]

# --- Home page -----------------------------------------------------------------------

HOME = {
    "slug": "home",
    "title": "Home",
    "hero_heading": ORGANISATION_NAME,
    "hero_intro": (
        "Better care for people with cancer in Pakistan, through the education of the "
        "senior and junior doctors who treat them."
    ),
    "listing_summary": (
        "The Society of Medical Oncology Pakistan brings oncologists together to improve "
        "cancer care through education, awareness and research."
    ),
    "search_description": (
        "The Society of Medical Oncology Pakistan (SMOP): events, the DLBCL research "
        "initiative, the member directory and recommended resources."
    ),
}

# Pillar links name pages by their key in PAGES below.
PILLARS = [
    {
        "title": "Advancing Cancer Awareness",
        "text": (
            "We help the public understand cancer, with a particular focus on early "
            "screening and prevention."
        ),
        "link": {"label": "Read the President's message", "page": "president"},
    },
    {
        "title": "Fostering Professional Growth",
        "text": (
            "We give oncology professionals a place to keep learning and to develop "
            "their careers, through our conferences, symposia and workshops."
        ),
        "link": {"label": "See our events", "page": "events"},
    },
    {
        "title": "Global Presence",
        "text": (
            "We keep our members in touch with international oncology meetings, such as "
            "the ASCO Annual Meeting, the ESMO Congress and the congress of the Asian "
            "Oncology Society."
        ),
        "link": {"label": "International conferences", "page": "events"},
    },
]

HOME_SECTIONS = {
    "pillars_heading": "What we do",
    "president_heading": "Message from the President",
    "events_heading": "Upcoming events",
    "events_count": 3,
    "links_heading": "Explore",
    "featured_links": [
        {"label": "Find an oncologist in the member directory", "page": "directory"},
        {"label": "The DLBCL research initiative", "page": "initiative"},
        {"label": "Photo gallery", "page": "gallery"},
        {"label": "Resources for physicians", "page": "resources-physicians"},
        {"label": "Resources for patients", "page": "resources-patients"},
    ],
}

# --- Pages under home ----------------------------------------------------------------
# Each entry's "key" is how other entries refer to it; "slug" is how it is found again.

ABOUT = {
    "key": "about",
    "slug": "what-is-smop",
    "title": "What is SMOP",
    "listing_summary": (
        "Founded in 2018 by leading oncologists, SMOP works to improve patient care by "
        "educating the doctors who work in oncology."
    ),
    "search_description": (
        "About the Society of Medical Oncology Pakistan: founded in 2018, its aims and "
        "its three pillars."
    ),
    "intro": (
        "The Society of Medical Oncology Pakistan (SMOP) was founded in 2018 by a group of "
        "leading oncologists. Its aim is better care for patients, reached through better "
        "education for the senior and junior doctors who work in oncology."
    ),
    "body": [
        ("heading", "Our aims"),
        (
            "paragraph",
            "<p>We want everyone who provides cancer care in Pakistan to be equipped to "
            "give their patients the best care possible. Our work rests on three "
            "pillars.</p>",
        ),
        ("heading", "Advancing cancer awareness"),
        (
            "paragraph",
            "<p>We raise awareness of cancer among the public, and above all of the value "
            "of early screening and prevention.</p>",
        ),
        ("heading", "Fostering professional growth"),
        (
            "paragraph",
            "<p>We offer oncology professionals a platform for learning and professional "
            "development, through conferences, symposia, workshops and meetings.</p>",
        ),
        ("heading", "Global presence"),
        (
            "paragraph",
            "<p>We follow the work of international oncology societies and share their "
            "major meetings with our members, from the ASCO Annual Meeting and the ESMO "
            "Congress to the congress of the Asian Oncology Society.</p>",
        ),
    ],
}

PRESIDENT = {
    "key": "president",
    "slug": "presidents-message",
    "title": "President's message",
    "listing_summary": (
        "Why SMOP exists: cancer is rising in Pakistan, and multidisciplinary care, local "
        "research and public education can change its course."
    ),
    "search_description": "A message from the President of the Society of Medical Oncology "
    "Pakistan.",
    "excerpt": (
        "Cancer is becoming more common in Pakistan, many patients are diagnosed late and "
        "mortality is above 50%. SMOP brings oncology professionals together for "
        "multidisciplinary care, research suited to our own setting, and public education "
        "on early screening and prevention."
    ),
    "message": (
        "<p>Like other developing countries, Pakistan is seeing more cases of cancer, many "
        "of them diagnosed late, with a mortality rate above 50%. SMOP gives oncology "
        "professionals a platform to build multidisciplinary approaches to the care of "
        "their patients, and it encourages research in Pakistan that finds solutions "
        "suited to our own context.</p>"
        "<p>In developing countries more than 30% of cancers are linked to infections, "
        "smoking, obesity and environmental hazards such as air and water pollution. SMOP "
        "therefore works to make the public aware of the value of early screening and "
        "prevention.</p>"
        "<p>As oncology professionals, it falls to us to help people reduce their risk of "
        "cancer and to have it detected early, when it can be treated more "
        "effectively.</p>"
    ),
    "signatory_role": PRESIDENT_ROLE,
}

VALUES = {
    "key": "values",
    "slug": "our-values",
    "title": "Our values",
    "listing_summary": "Integrity, commitment, accountability and excellence guide our work.",
    "search_description": "The four values of the Society of Medical Oncology Pakistan.",
    "intro": "Four values guide how we work with each other, our profession and our patients.",
    "values": [
        {
            "name": "Integrity",
            "statement": (
                "We are honest in everything we do, and fully transparent in our research, "
                "our spending and our judgements."
            ),
            "icon": "shield",
        },
        {
            "name": "Commitment",
            "statement": (
                "We are wholeheartedly devoted to our mission: to supporting one another, "
                "serving our profession and caring for our patients."
            ),
            "icon": "heart",
        },
        {
            "name": "Accountability",
            "statement": (
                "We take full responsibility for our actions and decisions, and answer for "
                "our professional conduct."
            ),
            "icon": "scales",
        },
        {
            "name": "Excellence",
            "statement": (
                "Oncology changes fast and today's standard can be outdated tomorrow, so we "
                "never settle for the status quo and always push for the best care for our "
                "patients."
            ),
            "icon": "star",
        },
    ],
}

EVENT_INDEX = {
    "key": "events",
    "slug": "events",
    "title": "Events",
    "listing_summary": (
        "SMOP's conferences, symposia, workshops and meetings, and the international "
        "conferences we recommend."
    ),
    "search_description": (
        "Conferences, symposia, workshops and meetings of the Society of Medical Oncology "
        "Pakistan, and international oncology conferences."
    ),
    "intro": (
        "<p>Conferences, meetings and other events: catch up with the latest from SMOP, "
        "and with the international conferences we recommend to our members.</p>"
    ),
}

INITIATIVE = {
    "key": "initiative",
    "slug": "dlbcl-research-initiative",
    "title": "DLBCL research initiative",
    "listing_summary": (
        "SMOP's work on diffuse large B-cell lymphoma: a joint national guideline and a "
        "multicentre study of 738 patients."
    ),
    "search_description": (
        "The DLBCL research initiative of the Society of Medical Oncology Pakistan: a joint "
        "guideline and a multicentre retrospective study."
    ),
    "summary": (
        "Our research initiative on diffuse large B-cell lymphoma (DLBCL) has produced a "
        "management guideline, agreed with two partner societies and published in JCO "
        "Global Oncology, and a multicentre retrospective study of 738 patients from 12 "
        "centres."
    ),
    # The brief does not say whether the work continues; the model's default status.
    "status": "active",
    "aims": (
        "<ul>"
        "<li>Give doctors shared guidance on managing DLBCL, agreed by consensus among "
        "national societies.</li>"
        "<li>Describe, from real-world data across many centres, the challenges of managing "
        "DLBCL in a developing country.</li>"
        "</ul>"
    ),
    "publications": [
        {
            # The exact published title is not in our facts: a descriptive title.
            "title": (
                "Joint guideline on the management of diffuse large B-cell lymphoma, by "
                "SMOP, the Pakistan Society of Hematology and the Pakistan Society of "
                "Clinical Oncology"
            ),
            "journal": "JCO Global Oncology",
            "year": 2021,
            "doi": "10.1200/GO.21.00320",
            "note": (
                "Published in December 2021. Developed with the Pakistan Society of "
                "Hematology and the Pakistan Society of Clinical Oncology through a "
                "modified Delphi consensus."
            ),
        },
        {
            "title": "Real-World Challenges of Managing DLBCL in a Developing Country",
            "journal": "",
            "year": None,
            "doi": "",
            "note": "A multicentre retrospective study of 738 patients from 12 centres.",
        },
    ],
}

DIRECTORY = {
    "key": "directory",
    "slug": "member-directory",
    "title": "Member directory",
    "listing_summary": "Find oncologists in Pakistan who are members of SMOP.",
    "search_description": (
        "Search the member directory of the Society of Medical Oncology Pakistan by name, "
        "specialty, city and institution."
    ),
    "intro": (
        "<p>Find oncologists in Pakistan who are members of SMOP. Members appear here only "
        "when they have agreed to be listed, so the directory does not include every "
        "member.</p>"
    ),
}

GALLERY_INDEX = {
    "key": "gallery",
    "slug": "photo-gallery",
    "title": "Photo gallery",
    "listing_summary": "Photographs of SMOP's conferences, meetings and other events.",
    "search_description": (
        "Photographs of conferences, meetings and other events of the Society of Medical "
        "Oncology Pakistan."
    ),
    "intro": (
        "<p>Photographs of our conferences, meetings and other events will appear here. "
        "Until the first albums are added, the album below shows placeholder images.</p>"
    ),
}

# Not linked to an event: we hold no photographs of any event.
GALLERY_ALBUM = {
    "key": "gallery-placeholders",
    "slug": "placeholder-images",
    "title": "Placeholder images",
    "listing_summary": "Placeholder images that show how an album looks. Not event photos.",
    "search_description": "Placeholder images for the photo gallery.",
    "intro": (
        "These are placeholder images, not photographs of an SMOP event. They show how an "
        "album looks until real photographs are uploaded."
    ),
    "images": [image["key"] for image in GALLERY_IMAGES],
}

RESOURCES_PHYSICIANS = {
    "key": "resources-physicians",
    "slug": "resources-for-physicians",
    "title": "Resources for physicians",
    "audience": "physicians",
    "listing_summary": "Reference material we recommend to doctors working in oncology.",
    "search_description": (
        "Resources recommended by the Society of Medical Oncology Pakistan for physicians."
    ),
    "intro": "<p>Reference material we recommend to doctors working in oncology.</p>",
    "empty_message": "We have not added any physician resources yet.",
    "resources": [
        {
            "title": "World Health Organization Model List of Essential Medicines",
            "topic": "Essential medicines",
            "url": (
                "https://www.who.int/groups/expert-committee-on-selection-and-use-of-"
                "essential-medicines/essential-medicines-lists"
            ),
            "publisher": "World Health Organization",
            "language": "en",
            "summary": (
                "The World Health Organization's model lists of essential medicines, "
                "published by its Expert Committee on the Selection and Use of Essential "
                "Medicines."
            ),
        }
    ],
}

RESOURCES_PATIENTS = {
    "key": "resources-patients",
    "slug": "resources-for-patients",
    "title": "Resources for patients",
    "audience": "patients",
    "listing_summary": "Information we recommend for patients and their families.",
    "search_description": (
        "Resources recommended by the Society of Medical Oncology Pakistan for patients and "
        "their families."
    ),
    "intro": "<p>Information we recommend for patients and their families.</p>",
    "empty_message": (
        "We have not added any patient resources yet. In the meantime, please ask your "
        "oncologist or care team where to find reliable information."
    ),
    "resources": [],
}

# --- Events --------------------------------------------------------------------------
# Dates as in the brief. Precision "year" with 1 January stands for "some time that
# year"; "unknown" means the brief gives no date at all.

SMOP_EVENTS = [
    {
        "slug": "2nd-annual-virtual-conference-on-hematology",
        "title": "2nd Annual Virtual Conference on Hematology",
        "category": "conference",
        "format": "virtual",
        "date_precision": "day",
        "start_date": dt.date(2021, 2, 5),
        "end_date": dt.date(2021, 2, 7),
        "summary": "SMOP's second annual conference on hematology, held online over three days.",
    },
    {
        "slug": "breast-cancer-symposium",
        "title": "Breast Cancer Symposium",
        "category": "symposium",
        "date_precision": "day",
        "start_date": dt.date(2021, 2, 20),
        "summary": "A one-day SMOP symposium on breast cancer.",
    },
    {
        "slug": "best-of-asco21-pakistan-virtual-meeting",
        "title": "Best of ASCO21 Pakistan Virtual Meeting",
        "category": "meeting",
        "format": "virtual",
        "date_precision": "day",
        "start_date": dt.date(2021, 8, 6),
        "end_date": dt.date(2021, 8, 8),
        "summary": (
            "An online meeting that brought highlights of the 2021 ASCO Annual Meeting to "
            "oncologists in Pakistan."
        ),
    },
    {
        "slug": "acord21-protocol-development-workshop",
        "title": "ACORD21 Protocol Development Workshop",
        "category": "workshop",
        "format": "in_person",
        "date_precision": "time",
        "start_date": dt.date(2021, 8, 29),
        "start_time": dt.time(7, 0),
        "end_date": dt.date(2021, 9, 3),
        "timezone": "Asia/Karachi",
        "venue": "Falettis Hotel",
        "city": "Lahore",
        "country": "Pakistan",
        "summary": (
            "SMOP gathered the participants of the ACORD21 protocol development workshop at "
            "Falettis Hotel, Lahore. Sessions started at 7am Pakistan time."
        ),
    },
    {
        "slug": "comprehensive-review-of-hormone-positive-breast-cancer",
        "title": "Comprehensive Review Of Hormone Positive Breast Cancer",
        "category": "meeting",
        "date_precision": "unknown",
        "summary": "A past SMOP event reviewing hormone positive breast cancer.",
    },
    {
        "slug": "new-frontier-in-immuno-oncology",
        "title": "New Frontier In Immuno-Oncology",
        "category": "meeting",
        "date_precision": "unknown",
        "summary": "A past SMOP event on new developments in immuno-oncology.",
    },
    {
        "slug": "best-of-asco2022-pakistan",
        "title": "Best of ASCO2022 Pakistan",
        "category": "meeting",
        "date_precision": "year",
        "start_date": dt.date(2022, 1, 1),
        "summary": (
            "SMOP's 2022 meeting bringing highlights of the ASCO Annual Meeting to "
            "oncologists in Pakistan."
        ),
    },
    {
        "slug": "3rd-annual-conference-on-hematological-malignancies-2022",
        "title": "3rd Annual Conference On Hematological Malignancies 2022",
        "category": "conference",
        "date_precision": "year",
        "start_date": dt.date(2022, 1, 1),
        "summary": "SMOP's third annual conference on hematological malignancies, held in 2022.",
    },
]

INTERNATIONAL_EVENTS = [
    {
        "slug": "asco-2022-annual-meeting",
        "title": "ASCO 2022 Annual Meeting",
        "organiser_name": "ASCO",
        "format": "hybrid",
        "date_precision": "day",
        "start_date": dt.date(2022, 6, 3),
        "end_date": dt.date(2022, 6, 7),
        "timezone": "America/Chicago",
        "city": "Chicago, IL",
        "country": "United States",
        "summary": (
            "The 2022 ASCO Annual Meeting, in Chicago and online: the first ASCO meeting "
            "held in person after two virtual years."
        ),
    },
    {
        "slug": "aos-2022",
        "title": "AOS 2022, 2nd International Congress of the Asian Oncology Society",
        "organiser_name": "Asian Oncology Society with the Korean Cancer Association",
        "date_precision": "day",
        "start_date": dt.date(2022, 6, 16),
        "end_date": dt.date(2022, 6, 18),
        "timezone": "Asia/Seoul",
        "city": "Seoul",
        "country": "Korea",
        "summary": (
            "The second international congress of the Asian Oncology Society, held in Seoul "
            "together with the 48th Annual Meeting of the Korean Cancer Association."
        ),
    },
    {
        "slug": "esmo-congress-2022",
        "title": "ESMO Congress 2022",
        "organiser_name": "ESMO",
        "date_precision": "day",
        "start_date": dt.date(2022, 9, 9),
        "end_date": dt.date(2022, 9, 13),
        # No place is given: the default time zone is kept rather than guessed.
        "summary": (
            "ESMO's 2022 congress, presenting the latest advances in cancer treatment with "
            "an educational programme and many chances to exchange ideas."
        ),
    },
    {
        "slug": "protocol-development-workshop-2022",
        "title": "Protocol Development Workshop",
        # The brief does not name the organiser; this names them by their event only.
        "organiser_name": "Protocol Development Workshop organisers",
        "format": "virtual",
        "date_precision": "day",
        "start_date": dt.date(2022, 9, 25),
        "end_date": dt.date(2022, 9, 30),
        "summary": (
            "A one-week online programme in clinical trial design for early-career cancer "
            "researchers from every oncology sub-specialty in the Asia Pacific region."
        ),
    },
    {
        "slug": "ehoc-2022",
        "title": "EHOC 2022, XIII Eurasian Hematology Oncology Congress",
        # The brief does not name the organiser; this names them by their event only.
        "organiser_name": "EHOC 2022 congress organisers",
        "date_precision": "day",
        "start_date": dt.date(2022, 10, 5),
        "end_date": dt.date(2022, 10, 8),
        # The congress keeps Istanbul time for its deadlines; its city is not given.
        "timezone": "Europe/Istanbul",
        "summary": (
            "The 13th Eurasian Hematology Oncology Congress. Abstracts could be submitted "
            "online until 17 July 2022, 24:00 Istanbul time."
        ),
    },
    {
        "slug": "jsco-frontier-symposium-2022",
        "title": "JSCO Frontier Symposium",
        "organiser_name": "JSCO",
        "format": "in_person",
        "date_precision": "day",
        "start_date": dt.date(2022, 10, 20),
        "end_date": dt.date(2022, 10, 22),
        "timezone": "Asia/Tokyo",
        "venue": "KOBE Convention Center",
        "city": "Kobe",
        "country": "Japan",
        "summary": (
            "A symposium at the KOBE Convention Center on the future of cancer treatment "
            "built on bonds of trust."
        ),
    },
]
