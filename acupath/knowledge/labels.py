"""Plain-words names for the codes in the acupoint data, for pages."""

CAUTIONS = {
    "thoracic_pneumothorax": "Over the lung: shallow or oblique needling only (pneumothorax risk)",
    "major_vessel": "Near a major blood vessel",
    "pregnancy_forbidden": "Traditionally avoided in pregnancy",
    "hypotension_syncope": "May lower blood pressure: fainting risk, treat lying down",
    "eye_orbit": "Near the eye",
    "spinal_cord": "Near the spinal cord: never deep or upward",
    "abdominal_organs": "Over abdominal organs: mind the depth",
}

TAGS = {
    "local_lumbar": "Local point for the low back",
    "local_sacral": "Local point for the sacrum",
    "local_thoracic": "Local point for the upper back",
    "local_buttock": "Local point for the buttock",
    "distal_bladder": "Distal point for leg pain down the back of the leg (Bladder channel)",
    "distal_gallbladder": "Distal point for leg pain down the side of the leg (Gallbladder channel)",
    "distal_general": "Distal point for back pain",
    "midline_governor": "Midline (Governor Vessel) back pain",
    "acute_sprain": "Acute lumbar sprain",
    "pattern_kidney_deficiency": "Pattern: Kidney deficiency",
    "pattern_cold_damp": "Pattern: Cold-Damp",
    "pattern_blood_stasis": "Pattern: Blood stasis",
    "pattern_qi_stagnation": "Pattern: Qi stagnation",
    "calming": "Calming (stress and tension)",
}

REGIONS = {
    "head": "Head",
    "face": "Face",
    "neck": "Neck",
    "shoulder": "Shoulder",
    "chest": "Chest",
    "upper_abdomen": "Upper abdomen",
    "lower_abdomen": "Lower abdomen",
    "upper_back": "Upper back",
    "lumbar": "Low back (lumbar)",
    "sacral": "Sacrum",
    "buttock": "Buttock",
    "arm": "Arm",
    "hand": "Hand",
    "thigh": "Thigh",
    "knee": "Knee",
    "lower_leg": "Lower leg",
    "foot": "Ankle and foot",
}
