import HTTPCore
import SystemIO
import TestSupport
import Testing

@testable import WebClient

/// `publicAddressesOnly`: the client refuses destinations that are not globally reachable, judged on the very
/// addresses it would connect to (after resolution), against a real loopback server.
@Suite struct HTTPClientDestinationTests {
    private func client(publicOnly: Bool, resolver: HostResolver = .system) throws -> HTTPClient {
        var configuration = HTTPClientConfiguration()
        configuration.requestTimeout = .seconds(5)
        configuration.connectTimeout = .seconds(2)
        configuration.resolver = resolver
        configuration.publicAddressesOnly = publicOnly
        return try HTTPClient(configuration: configuration)
    }

    private func refusal(_ client: HTTPClient, _ url: String) throws -> HTTPClientError? {
        do {
            _ = try client.send(try ClientRequest(method: .post, url: url, body: Array("{}".utf8)))
            return nil
        } catch let error as HTTPClientError {
            return error
        }
    }

    @Test func aNameResolvingToLoopbackIsRefusedBeforeAnyConnection() throws {
        let server = try TestHTTPServer(response: "HTTP/1.1 204 No Content\r\n\r\n")
        defer { server.stop() }
        let loopback = try SocketAddress(ipAddress: "127.0.0.1", port: 0)
        let rebinding = HostResolver { name in name == "hooks.rebind.test" ? [loopback] : [] }
        let url = "http://hooks.rebind.test:\(server.address.port)/hook"

        let error = try #require(try refusal(try client(publicOnly: true, resolver: rebinding), url))
        #expect(error.code == .destinationRefused)
        #expect(
            error.message == "hooks.rebind.test resolves to 127.0.0.1, which is a loopback address; "
                + "only public addresses may be reached"
        )
        #expect(server.requests.isEmpty)

        // The same request goes through when private destinations are allowed.
        #expect(try refusal(try client(publicOnly: false, resolver: rebinding), url) == nil)
        #expect(server.requests.count == 1)
    }

    @Test func oneNonPublicAddressAmongPublicOnesRefusesTheName() throws {
        let mixed = HostResolver { _ in
            [
                (try? SocketAddress(ipAddress: "93.184.216.34", port: 0)),
                (try? SocketAddress(ipAddress: "169.254.169.254", port: 0)),
            ].compactMap { $0 }
        }
        let error = try #require(try refusal(try client(publicOnly: true, resolver: mixed), "https://mixed.test/"))
        #expect(error.code == .destinationRefused)
        #expect(error.message.contains("169.254.169.254, which is a link-local address"))
    }

    @Test(arguments: [
        ("http://127.0.0.1:9/", "127.0.0.1 is a loopback address"),
        ("http://[::1]:9/", "::1 is a loopback address"),
        ("http://10.1.2.3:9/", "10.1.2.3 is a private address"),
        ("http://[::ffff:169.254.169.254]:9/", "is a link-local address"),
        ("http://100.64.0.1:9/", "100.64.0.1 is a carrier-grade NAT address"),
        ("http://0.0.0.0:9/", "0.0.0.0 is an unspecified address"),
        ("http://[ff02::1]:9/", "is a multicast address"),
    ])
    func ipLiteralsInSpecialPurposeBlocksAreRefused(url: String, message: String) throws {
        let error = try #require(try refusal(try client(publicOnly: true), url))
        #expect(error.code == .destinationRefused)
        #expect(error.message.contains(message), "\(error.message)")
    }
}
