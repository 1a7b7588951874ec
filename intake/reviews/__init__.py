"""Reviews of certifications to an outcome (§7.305(b)), the deficiency notice and its
resubmission clock, and the catalogue of paragraphs a finding or a review cites."""
