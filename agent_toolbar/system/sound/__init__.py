"""Sound on the devices the agent chose: the public `Sounds`, and PulseAudio's protocol."""
