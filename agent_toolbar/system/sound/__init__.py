"""Sound on the devices the agent chose, one module a job: `devices` (discovery),
`samples`, `routes` (PulseAudio's protocol, in `pulse`, or PortAudio), `worker` (the
sound thread) and the public `Sounds` in `sounds`."""
