import Foundation
import Logging
import ReportIntake
import SMTPServer
import SystemIO
import TLS
import TestSupport

/// The mail door as the reports role runs it, in process: ``ReportSMTPReceiver`` behind an ``SMTPListener`` on
/// 127.0.0.1 with a port the kernel picks, greeting as `reports.example.net` and offering STARTTLS with a
/// certificate for that name from a throwaway CA (with or without SNI).
///
/// ```swift
/// let door = try MailDoorFixture(reception: reception, logger: logger)
/// defer { door.shutdown() }
/// // connect to door.port, trust door.caFile
/// ```
final class MailDoorFixture {
    static let hostname = ReportsHostCertificate.hostname
    /// Holds the CA file; removed by ``shutdown()``.
    let directory: TemporaryDirectory
    /// The CA that issued the door's certificate, PEM.
    let caPEM: String
    /// ``caPEM`` on disk.
    let caFile: String
    let listener: SMTPListener
    let port: UInt16
    private let group: EventLoopGroup
    private let pool: BlockingPool

    /// Starts the door for `reception`, accepting `<token>@mailDomain`.
    init(reception: ReportReception, mailDomain: String = "Reports.Example.NET", logger: Logger) throws {
        directory = try TemporaryDirectory(prefix: "smtp-door")
        var configuration = TLSConfiguration.server
        configuration.alpnProtocols = []
        let certificate = try ReportsHostCertificate(directory: directory, configuration: configuration)
        caPEM = certificate.caPEM
        caFile = certificate.caFile
        let hostContext = certificate.context
        let tls = try TLSContext.makeServer(configuration: configuration)
        tls.setServerNameResolver(
            SingleNameServerNameResolver(
                base: DictionaryServerNameResolver([Self.hostname: hostContext]),
                name: Self.hostname
            )
        )
        let group = try EventLoopGroup(numberOfLoops: 1)
        let pool = BlockingPool(numberOfThreads: 1, name: "smtp-door", maximumQueued: 4)
        let listener = SMTPListener(
            configuration: SMTPListenerConfiguration(
                address: try SocketAddress(ipAddress: "127.0.0.1", port: 0),
                session: SMTPSessionConfiguration(hostname: Self.hostname),
                tls: tls
            ),
            group: group,
            receiver: ReportSMTPReceiver(acceptor: reception.acceptor, mailDomain: mailDomain),
            deliveryPool: pool,
            logger: logger
        )
        do {
            try listener.start()
        } catch {
            Self.shutdown(listener: listener, pool: pool, group: group)
            throw error
        }
        guard let port = listener.localAddress?.port else {
            Self.shutdown(listener: listener, pool: pool, group: group)
            throw TestSupportError("the SMTP door did not start listening on 127.0.0.1")
        }
        self.group = group
        self.pool = pool
        self.listener = listener
        self.port = port
    }

    /// Stops the listener, its pool and loop, and removes the CA file.
    func shutdown() {
        Self.shutdown(listener: listener, pool: pool, group: group)
        directory.remove()
    }

    private static func shutdown(listener: SMTPListener, pool: BlockingPool, group: EventLoopGroup) {
        listener.shutdown(gracePeriod: .seconds(1))
        pool.shutdown()
        try? group.shutdownGracefully()
    }
}
