"""Labels for outcome kinds, institution kinds, categories and figures, in the source language.

They are marked for extraction with ``N_`` and translated where shown (page or document language).
"""

from __future__ import annotations


def N_(message: str) -> str:
    return message


OUTCOME_KINDS = {
    "memorandum": N_("Memorandum of cooperation"),
    "agreement": N_("Agreement"),
    "joint_project": N_("Joint project"),
    "dual_degree": N_("Dual-degree programme"),
    "funding_call": N_("Funding call"),
    "other": N_("Other outcome"),
}
INSTITUTION_KINDS = {
    "university": N_("Universities"),
    "ministry": N_("Ministries"),
    "funding_agency": N_("Funding agencies"),
    "research_institute": N_("Research institutes"),
    "company": N_("Companies"),
    "embassy": N_("Embassies"),
    "other": N_("Other"),
}
CATEGORIES = {
    "participant": N_("Participants"),
    "delegation": N_("Delegation"),
    "speaker": N_("Speakers"),
    "press": N_("Press"),
    "guest": N_("Guests"),
    "other": N_("Other"),
}
OTHER = N_("Other")
FIGURE_LABELS = {
    "registered": N_("Registered"),
    "attended": N_("Attended"),
    "sessions_held": N_("Sessions held"),
    "speakers": N_("Speakers"),
    "partner_institutions": N_("Partner institutions"),
    "outcomes": N_("Outcomes"),
}
BY_COUNTRY = N_("By country")
BY_KIND = N_("By kind of institution")
BY_CATEGORY = N_("By category")
BASIS_ATTENDED = N_("Counted: people who came (checked in).")
BASIS_REGISTERED = N_("Counted: confirmed registrations (no check-in was recorded).")
SMALL_GROUPS = N_("Groups of fewer than three people are counted under “Other”.")
# Printed on the documents (translated there with the document's language).
DOCUMENT_STRINGS = (
    N_("Summary"),
    N_("Figures"),
    N_("Outcomes"),
    N_("Voices"),
    N_("Photos"),
    N_("Partner institutions"),
    N_("Certificate of attendance"),
    N_("This is to certify that"),
    N_("attended"),
    N_("Organised by"),
    N_("Verification code"),
)
