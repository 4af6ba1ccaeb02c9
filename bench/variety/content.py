"""Wording banks for the variety corpus: themes, objectives and action phrases by service area.

All wording is written for this corpus (no sentence is taken from a real plan).  Actions are
composed from a verb, an object and a qualifier so a seed yields many distinct, plausible
actions; sections and aims are whole phrases per service area.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    sections: tuple[tuple[str, tuple[str, ...]], ...]   # (outer heading, objectives under it)
    objects: tuple[str, ...]
    qualifiers: tuple[str, ...]
    measures: tuple[str, ...]
    populations: tuple[str, ...]
    roles: tuple[str, ...] = ()


VERBS = ("Review", "Refresh", "Embed", "Roll out", "Audit", "Strengthen", "Introduce", "Develop",
         "Relaunch", "Agree", "Publish", "Commission", "Pilot", "Implement", "Co-produce", "Map",
         "Establish", "Evaluate", "Update", "Deliver training on")

CHILDREN = Area(
    sections=(
        ("Priority 1: Help and protection at the front door",
         ("Thresholds are understood and consistently applied by partners",
          "Children at risk of exploitation are identified early and protected")),
        ("Priority 2: Children in care and care leavers",
         ("Permanence is planned for every child from the first review",
          "Care leavers are supported into suitable accommodation and work")),
        ("Priority 3: Quality of practice and management oversight",
         ("Supervision is regular, reflective and recorded",
          "Plans are specific, measurable and reviewed on time")),
        ("Priority 4: Leadership, workforce and performance",
         ("Leaders know the quality of frontline practice",
          "A stable, permanent social work workforce")),
    ),
    objects=("the multi-agency threshold guidance", "management oversight of contacts and referrals",
             "return home interviews for children who go missing", "the exploitation screening tool",
             "strategy discussions with police and health", "the permanence tracker",
             "later-life letters for adopted children", "pathway plans for care leavers",
             "the staying-close offer", "supervision recording in the case management system",
             "the practice standards for child-in-need plans", "the monthly case audit programme",
             "the performance scorecard for frontline managers", "the recruitment and retention offer",
             "the ASYE programme for newly qualified social workers", "step-down arrangements to early help",
             "the out-of-hours duty protocol", "independent reviewing officer escalations",
             "the voice of the child in assessments", "sufficiency of local foster placements"),
    qualifiers=("across all locality teams", "with the safeguarding partnership", "through monthly practice weeks",
                "with children and young people", "for every team manager", "in the family help teams",
                "", "", ""),
    measures=("{pct}% of {pop} seen within timescale", "Audit grades of good or better rise to {pct}%",
              "All {pop} have an up-to-date plan", "Re-referral rate falls below {small}%",
              "{pct}% of {pop} report that they feel listened to",
              "Agency staff fall to under {small}% of the workforce"),
    populations=("children on a child protection plan", "care leavers aged 18-21", "children in care",
                 "children open to family help", "newly qualified social workers"),
    roles=("Head of Safeguarding", "Service Manager, Front Door", "Head of Children in Care", "Principal Social Worker", "Head of Quality Assurance", "Workforce Development Manager", "Head of Early Help"),
)

SEND = Area(
    sections=(
        ("Area of weakness 1: The timeliness and quality of EHC plans",
         ("New EHC plans are issued within 20 weeks", "Annual reviews lead to amended plans where needs change")),
        ("Area of weakness 2: Joint commissioning across education, health and care",
         ("Leaders commission services jointly from a shared needs assessment",
          "Waiting times for neurodevelopmental assessment fall")),
        ("Area of weakness 3: Co-production with parents, carers and young people",
         ("Families shape the local offer and the SEND strategy",
          "Young people are prepared for adulthood from Year 9")),
    ),
    objects=("the EHC needs assessment pathway", "quality assurance of new EHC plans",
             "the annual review tracker", "health advice returned within six weeks",
             "the joint commissioning strategy", "the SEND data dashboard", "the local offer website",
             "the parent carer forum's role on the SEND board", "transition planning at Year 9",
             "the graduated approach toolkit for schools", "speech and language therapy capacity",
             "the neurodevelopmental pathway", "casework officer caseloads",
             "the preparing-for-adulthood protocol", "the SEND complaints log"),
    qualifiers=("with the parent carer forum", "jointly with the integrated care board", "in every school cluster",
                "with SENCOs", "", "", "for post-16 learners"),
    measures=("{pct}% of new EHC plans issued within 20 weeks", "{pct}% of plans audited as good",
              "Families rate the local offer as useful ({pct}%)", "Waiting list for assessment halves",
              "All {pop} have a transition plan"),
    populations=("young people in Year 9 with an EHC plan", "children awaiting assessment", "SENCOs"),
    roles=("Head of SEND", "Designated Clinical Officer", "SEND Commissioning Manager", "Principal Educational Psychologist", "Post-16 Transitions Lead"),
)

AUDIT = Area(
    sections=(
        ("Payroll 2023/24 - Limited assurance",
         ("Starters and leavers are processed on the authorised date",
          "Overtime claims are approved before payment")),
        ("Procurement cards - Reasonable assurance",
         ("Card limits reflect business need", "Monthly statements are reconciled and signed off")),
        ("IT asset management - Limited assurance",
         ("Every device is recorded on the asset register", "Disposed equipment is wiped and certified")),
        ("Business continuity - Reasonable assurance",
         ("Service plans are tested each year", "Critical suppliers hold tested plans")),
    ),
    objects=("the leavers checklist", "the authorised signatory list", "exception reports from the payroll system",
             "the card limit review", "the monthly card reconciliation", "the asset register",
             "the device disposal certificate process", "the business continuity plan template",
             "the annual plan testing schedule", "the supplier resilience questionnaire",
             "system access for leavers", "the contract register"),
    qualifiers=("and circulate to all budget holders", "with quarterly spot checks", "through the finance team",
                "", "", "and report exceptions to the audit committee"),
    measures=("Follow-up audit finds no exceptions", "{pct}% compliance in sample testing",
              "No payments made without approval"),
    populations=("budget holders",),
    roles=("Payroll Manager", "Head of Finance", "ICT Service Manager", "Emergency Planning Officer", "Procurement Lead", "HR Business Partner"),
)

CORPORATE = Area(
    sections=(
        ("A thriving local economy", ("Town centres with fewer empty units", "More residents in good work")),
        ("Homes and neighbourhoods", ("Enough affordable homes for local need", "Fewer households in temporary accommodation")),
        ("A greener borough", ("Council emissions on track for net zero", "Higher recycling rates")),
        ("A well-run council", ("Balanced medium-term budget", "Residents can do more online")),
    ),
    objects=("the town centre investment programme", "the shopfront grant scheme", "the adult skills offer",
             "the local plan review", "the affordable housing delivery pipeline",
             "the temporary accommodation reduction plan", "the homelessness prevention fund",
             "the decarbonisation plan for council buildings", "the food waste collection service",
             "the fleet replacement programme", "the medium-term financial strategy",
             "the customer contact strategy", "the digital self-service portal", "the asset disposal programme",
             "the social value framework"),
    qualifiers=("with local businesses", "across the borough", "in partnership with registered providers",
                "", "", "through the capital programme"),
    measures=("{big} new homes started on site", "{pct}% of contacts resolved online",
              "Emissions down {small}% on the baseline", "Recycling rate reaches {pct}%",
              "Vacancy rate below {small}%"),
    populations=("residents",),
    roles=("Head of Regeneration", "Housing Needs Manager", "Climate Change Officer", "Head of Customer Services", "Chief Finance Officer", "Head of Waste Services"),
)

PEER = Area(
    sections=(
        ("Corporate peer challenge: response to recommendations",
         ("Recommendation 1: Set out a clear, shared vision with partners",
          "Recommendation 2: Strengthen the medium-term financial plan",
          "Recommendation 3: Build capacity for the transformation programme",
          "Recommendation 4: Improve member and officer relationships",
          "Recommendation 5: Make better use of performance information")),
    ),
    objects=("a refreshed council plan", "a partnership summit", "the savings programme",
             "the reserves strategy", "a transformation programme office", "the member development programme",
             "the member-officer protocol", "the quarterly performance report", "a corporate data strategy",
             "the scrutiny work programme", "the leadership development offer"),
    qualifiers=("with cabinet", "with all group leaders", "ahead of budget setting", "", ""),
    measures=("Plan adopted by full council", "Staff survey shows {pct}% understand priorities",
              "Savings of {big}k delivered"),
    populations=("staff",),
    roles=("Chief Executive", "Head of Policy", "Monitoring Officer", "Chief Finance Officer"),
)

SAFETY = Area(
    sections=(
        ("Priority 1: Tackling anti-social behaviour", ("Hotspot areas see sustained reductions",)),
        ("Priority 2: Domestic abuse and violence against women and girls",
         ("Victims get the right support first time",)),
        ("Priority 3: Serious violence and exploitation", ("Young people are diverted from violence",)),
        ("Priority 4: Safer night-time economy", ("Town centre visitors feel safe at night",)),
    ),
    objects=("the ASB case review process", "joint patrols in hotspot wards", "the community trigger process",
             "the domestic abuse champions network", "the MARAC referral pathway", "safe accommodation provision",
             "the serious violence duty needs assessment", "detached youth work in priority areas",
             "the knife crime education programme", "the Pubwatch scheme", "the safe space for night-time visitors",
             "CCTV coverage in the town centre", "the street pastors scheme"),
    qualifiers=("with police and housing providers", "with the voluntary sector", "in the three priority wards",
                "", "", "with licensed premises"),
    measures=("ASB incidents down {small}%", "{pct}% of victims report feeling safer",
              "{big} young people reached", "Repeat MARAC referrals below {small}%"),
    populations=("residents",),
    roles=("Community Safety Manager", "Youth Service Lead", "Licensing Manager"),
)

WALES = Area(
    sections=(
        ("Amcan Llesiant 1 / Well-being Objective 1: Giving every child the best start",
         ("Pob plentyn yn barod i ddysgu / Every child ready to learn",)),
        ("Amcan Llesiant 2 / Well-being Objective 2: Thriving communities and the Welsh language",
         ("Mwy o bobl yn defnyddio'r Gymraeg / More people using Welsh",)),
        ("Amcan Llesiant 3 / Well-being Objective 3: A low-carbon county",
         ("Lleihau allyriadau / Lower emissions",)),
    ),
    objects=("the Flying Start expansion", "Welsh-medium childcare places", "the Welsh in Education Strategic Plan",
             "immersion provision for latecomers to Welsh", "the community transport scheme",
             "bilingual front-line services", "the Welsh language skills audit of staff",
             "active travel routes to schools", "renewable energy on council land", "the tree planting programme",
             "the school meals offer"),
    qualifiers=("with the Menter Iaith", "across the county", "with town and community councils", "", ""),
    measures=("{pct}% of staff at level 2 Welsh or above", "{big} new Welsh-medium places",
              "{small}% fall in emissions"),
    populations=("residents",),
    roles=("Pennaeth Addysg / Head of Education", "Swyddog Iaith / Welsh Language Officer", "Rheolwr Cynaliadwyedd / Sustainability Manager", "Flying Start Manager"),
)

ADULTS = Area(
    sections=(
        ("Theme 1: Working with people", ("People get timely assessments", "Carers are identified and supported")),
        ("Theme 2: Providing support", ("A sustainable care market", "People return home from hospital quickly")),
        ("Theme 3: Ensuring safety", ("Safeguarding enquiries are timely and person-led",)),
        ("Theme 4: Leadership", ("Co-produced strategy and good governance",)),
    ),
    objects=("the assessment waiting list", "the carers' assessment offer", "the market position statement",
             "the fee-setting model for home care", "the discharge-to-assess pathway", "the reablement service",
             "the safeguarding adults triage", "making safeguarding personal feedback", "the co-production charter",
             "the quality assurance framework", "direct payments uptake", "the occupational therapy backlog"),
    qualifiers=("with the NHS trust", "with people who use services", "across both localities", "", ""),
    measures=("Waiting list under {big}", "{pct}% of enquiries completed in 28 days",
              "{pct}% of people at home 91 days after discharge"),
    populations=("carers", "people waiting for assessment"),
    roles=("Head of Adult Social Care", "Principal Occupational Therapist", "Safeguarding Adults Manager", "Commissioning Manager", "Head of Reablement"),
)

AREAS = {"children": CHILDREN, "send": SEND, "audit": AUDIT, "corporate": CORPORATE, "peer": PEER,
         "safety": SAFETY, "wales": WALES, "adults": ADULTS}

FIRST = ("Sarah", "James", "Priya", "Tom", "Aisha", "Gareth", "Helen", "Marcus", "Ffion", "Daniel", "Ruth",
         "Imran", "Claire", "Owen", "Nadia", "Paul")
LAST = ("Whitfield", "Okafor", "Patel", "Hughes", "Rahman", "Evans", "Barker", "Doyle", "Lloyd", "Kaur",
        "Bennett", "Morgan", "Fraser", "Ahmed", "Quinn", "Price")
ROLES = ("Head of Safeguarding", "Service Manager, Front Door", "Head of Children in Care",
         "Principal Social Worker", "Head of Quality Assurance", "Workforce Development Manager",
         "Head of SEND", "Designated Clinical Officer", "Commissioning Manager", "Payroll Manager",
         "Head of Finance", "ICT Service Manager", "Emergency Planning Officer", "Head of Regeneration",
         "Housing Needs Manager", "Climate Change Officer", "Head of Customer Services",
         "Community Safety Manager", "Youth Service Lead", "Licensing Manager")
DIRECTORS = ("Director of Children's Services", "Director of Resources", "Director of Place",
             "Chief Executive", "Director of Adult Social Care")
PARTNERS = ("Police", "ICB", "Schools", "Housing providers", "Probation", "VCS", "Health visitors", "DWP")
PROGRESS = ("Draft agreed at the partnership board; launch planned for next quarter",
            "Task group met three times; first findings shared with managers",
            "Delayed by staff vacancies; recovery plan agreed",
            "Completed and now business as usual", "Pilot running in two teams; evaluation due",
            "Training delivered to {n} staff so far", "Awaiting sign-off by the executive",
            "Baseline audit complete; {n} cases reviewed", "Procurement under way; contract award expected soon",
            "New guidance published on the intranet", "Not yet started; scheduled after the restructure",
            "Progress slower than planned because of system changes")

SECOND_SENTENCES = ("This includes a review of current guidance and training for managers.",
                    "Findings will be reported to the improvement board.",
                    "Learning will be shared through practice briefings.",
                    "Partners will be consulted before changes are agreed.",
                    "Progress will be tested through a follow-up audit.")
UPDATE_LABELS = ("Q2 update: ", "Sept 24: ", "Update (Oct 2024): ", "As at 30/09/24: ", "November: ")


class Writer:
    """Draws distinct actions, measures, leads and comments for one plan from one seeded rng."""

    def __init__(self, rng: random.Random, area: Area):
        self.rng, self.area = rng, area
        self.used: set[str] = set()
        self.objects_used: set[str] = set()   # a plan names each object once while it can

    def action(self) -> str:
        a = self.area
        fresh = [o for o in a.objects if o not in self.objects_used] or list(a.objects)
        for _ in range(200):
            q = self.rng.choice(a.qualifiers)
            obj = self.rng.choice(fresh)
            text = f"{self.rng.choice(VERBS)} {obj}" + (f" {q}" if q else "")
            if text not in self.used:
                self.used.add(text)
                self.objects_used.add(obj)
                if self.rng.random() < 0.25:  # some actions run to a second sentence
                    return f"{text}. {self.rng.choice(SECOND_SENTENCES)}"
                return text + self.rng.choice([".", "", "."])
        raise RuntimeError("wording bank exhausted")

    def measure(self) -> str:
        """A per-action success measure, not repeated within a plan while others remain."""
        text = self._measure()
        for _ in range(30):
            if text not in self.used:
                break
            text = self._measure()
        self.used.add(text)
        return text

    def _measure(self) -> str:
        t = self.rng.choice(self.area.measures)
        return t.format(pct=self.rng.choice((60, 70, 75, 80, 85, 90, 95)), small=self.rng.randint(3, 15),
                        big=self.rng.choice((50, 120, 250, 400, 800)), pop=self.rng.choice(self.area.populations))

    def comment(self) -> str:
        """A progress note; some start with a dated label (date-like text outside the date columns)."""
        text = self.rng.choice(PROGRESS).format(n=self.rng.randint(12, 180)) + "."
        return (self.rng.choice(UPDATE_LABELS) + text) if self.rng.random() < 0.3 else text

    def name(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def initials(self) -> str:
        one = self.rng.choice(FIRST)[0] + self.rng.choice(LAST)[0]
        if self.rng.random() < 0.2:  # a shared lead, "JB/SW"
            return one + "/" + self.rng.choice(FIRST)[0] + self.rng.choice(LAST)[0]
        return one

    def role(self) -> str:
        return self.rng.choice(self.area.roles or ROLES)

    def lead(self, kind: str) -> str:
        return {"name": self.name, "initials": self.initials, "role": self.role}[kind]()
