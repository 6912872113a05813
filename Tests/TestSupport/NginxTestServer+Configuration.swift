import Crypto
import Foundation

// MARK: - nginx.conf and the files it names

extension NginxTestServer {
    /// Renders and writes one server's files; every path lies inside `directory`.
    struct Configuration {
        var directory: String
        var port: UInt16
        /// The hosts in order: the first host of each address is that address's default server.
        var hosts: [NginxTestHost]

        /// Refuses hosts that share an address but differ in TLS, versions or ciphers: OpenSSL settles those
        /// before SNI picks a server block, so the later host's settings would silently not apply.
        static func validate(_ hosts: [NginxTestHost]) throws {
            var first: [String: NginxTestHost] = [:]
            for host in hosts {
                guard let other = first[host.address] else {
                    first[host.address] = host
                    continue
                }
                guard (other.certificate == nil) == (host.certificate == nil), other.protocols == host.protocols,
                    other.ciphers == host.ciphers
                else {
                    throw TestSupportError(
                        "nginx hosts \(other.serverName) and \(host.serverName) share \(host.address) but differ in "
                            + "TLS settings; give \(host.serverName) an address of its own (e.g. 127.0.0.2)"
                    )
                }
            }
        }

        /// Writes certificates, keys, documents and `nginx.conf`; returns the configuration's path.
        func write() throws -> String {
            let files = FileManager.default
            for name in ["client-body", "proxy", "fastcgi", "uwsgi", "scgi"] {
                try files.createDirectory(atPath: "\(directory)/temp/\(name)", withIntermediateDirectories: true)
            }
            for (index, host) in hosts.enumerated() {
                let hostDirectory = hostDirectory(index)
                try files.createDirectory(atPath: hostDirectory + "/root", withIntermediateDirectories: true)
                if let certificate = host.certificate {
                    try certificate.certificate.pemRepresentation.write(
                        toFile: hostDirectory + "/cert.pem",
                        atomically: true,
                        encoding: .utf8
                    )
                    try certificate.key.pemRepresentation.write(
                        toFile: hostDirectory + "/key.pem",
                        atomically: true,
                        encoding: .utf8
                    )
                }
                if case .file(let path, let body, _) = host.response {
                    let file = hostDirectory + "/root" + path
                    try files.createDirectory(
                        atPath: (file as NSString).deletingLastPathComponent,
                        withIntermediateDirectories: true
                    )
                    try body.write(toFile: file, atomically: true, encoding: .utf8)
                }
            }
            let path = directory + "/nginx.conf"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        private func hostDirectory(_ index: Int) -> String {
            "\(directory)/host-\(index)"
        }

        /// One process, no daemon, logs to stderr, temporary files and pid inside `directory`; an empty `types`
        /// map so each host's `default_type` is its media type.
        var text: String {
            """
            daemon off;
            master_process off;
            worker_processes 1;
            pid \(directory)/nginx.pid;
            lock_file \(directory)/nginx.lock;
            error_log stderr warn;
            events {
                worker_connections 512;
            }
            http {
                access_log off;
                server_tokens off;
                keepalive_timeout 5;
                client_body_temp_path \(directory)/temp/client-body;
                proxy_temp_path \(directory)/temp/proxy;
                fastcgi_temp_path \(directory)/temp/fastcgi;
                uwsgi_temp_path \(directory)/temp/uwsgi;
                scgi_temp_path \(directory)/temp/scgi;
                types {
                }
                default_type application/octet-stream;
            \(hosts.indices.map(serverBlock).joined(separator: "\n"))
            }

            """
        }

        private func serverBlock(_ index: Int) -> String {
            let host = hosts[index]
            let hostDirectory = hostDirectory(index)
            var lines = ["listen \(host.address):\(port)\(host.certificate == nil ? "" : " ssl");"]
            lines.append("server_name \(host.serverName);")
            if host.certificate != nil {
                lines += [
                    "ssl_certificate \(hostDirectory)/cert.pem;",
                    "ssl_certificate_key \(hostDirectory)/key.pem;",
                    "ssl_protocols \(host.protocols.joined(separator: " "));",
                ]
                if let ciphers = host.ciphers {
                    lines.append("ssl_ciphers \"\(ciphers)\";")
                }
            }
            lines.append("root \(hostDirectory)/root;")
            switch host.response {
            case .file(let path, _, let contentType):
                lines += [
                    "location / {", "    return 404;", "}",
                    "location = \(path) {", "    default_type \"\(contentType)\";", "}",
                ]
            case .redirect(let status, let location):
                lines += ["location / {", "    return \(status) \"\(location)\";", "}"]
            case .status(let status):
                lines += ["location / {", "    return \(status);", "}"]
            }
            return (["    server {"] + lines.map { "        " + $0 } + ["    }"]).joined(separator: "\n")
        }
    }
}
