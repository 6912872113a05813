import HTTPCore
import JSON
import MTASTS
import Store

/// `GET /v1/domains/{name}/mx-presets`: the provider presets with the patterns each suggests for this domain
/// (some are derived from its live MX) and whether they cover the live MX hosts.
enum MXPresetRoute {
    static func register(on router: inout Router) {
        router.get("/v1/domains/{name}/mx-presets") { request, context in
            let (caller, domain) = try DomainRoutes.owned(request, context)
            let (hosts, outcome) = try context.withLiveLookups(for: caller) { $0.mx(domain.name) }
            let live = hosts.map(\.host)
            let presets = MXPreset.all.map { preset -> JSONValue in
                let patterns = preset.patterns(liveMX: live)
                let coverage = MXCoverage(hosts: hosts, patterns: patterns)
                return [
                    "id": .string(preset.id), "name": .string(preset.name), "note": .string(preset.note),
                    "patterns": .array(patterns.map { .string($0.description) }),
                    "covers_live_mx": .bool(!live.isEmpty && coverage.uncoveredHosts.isEmpty),
                    "uncovered_hosts": .array(coverage.uncoveredHosts.map(JSONValue.string)),
                ]
            }
            return JSONResponse(
                .ok,
                ["presets": .array(presets), "mx_hosts": .array(live.map(JSONValue.string)), "lookup": outcome.json]
            )
        }
    }
}
