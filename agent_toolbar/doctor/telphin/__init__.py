"""The doctor's examination of a Telphin server (`examine.examine`)."""
