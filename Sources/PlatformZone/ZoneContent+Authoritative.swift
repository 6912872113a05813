import DNSServer

/// The authoritative responder answers from a ``ZoneContent`` value, swapped whole on each change.
extension ZoneContent: AuthoritativeZoneContent {}
