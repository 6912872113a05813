import Crypto
import Foundation
package import HTTPCore

/// The web form's files (`Public/`), held in memory and served on the API listener next to `/v1/…`.
///
/// Only the names given at creation are served: `/` is `index.html`, `/<name>` is the file `<name>`, and every
/// other path is left to the API's router (so a `../` or an encoded slash can never reach the disk). Each
/// response carries `Cache-Control: no-cache` with a strong ETag (the browser revalidates and gets 304), and
/// the security headers that let the page run under `default-src 'self'`.
///
/// ```swift
/// let files = try StaticFiles(directory: URL(fileURLWithPath: "Public"))
/// let api = APIResponder(environment: environment, staticFiles: files)
/// ```
package struct StaticFiles: Sendable {
    /// One servable file.
    package struct File: Sendable {
        /// The bytes sent.
        package let body: [UInt8]
        /// `Content-Type` for the name's extension.
        package let contentType: String
        /// A strong validator: the quoted start of the body's SHA-256.
        package let etag: String
    }

    /// The content type of each servable extension; files with other extensions are not served.
    package static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "svg": "image/svg+xml",
        "png": "image/png",
        "ico": "image/x-icon",
        "txt": "text/plain; charset=utf-8",
    ]

    /// The policy for HTML pages: scripts, styles and fetches only from this origin, never framed.
    package static let contentSecurityPolicy =
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

    /// Files by request path (`/`, `/app.js`).
    package let files: [String: File]

    /// Creates the set from names and contents; names must be plain file names with a known extension.
    /// - Parameter contents: file name (`index.html`) → bytes. Other names are dropped.
    package init(contents: [String: [UInt8]]) {
        var files: [String: File] = [:]
        for (name, body) in contents {
            guard Self.isServableName(name), let type = Self.contentType(forName: name) else { continue }
            let etag = "\"" + Hex.encode(Digest.sha256(body).prefix(12)) + "\""
            let file = File(body: body, contentType: type, etag: etag)
            files["/" + name] = file
            if name == "index.html" { files["/"] = file }
        }
        self.files = files
    }

    /// Whether `name` is a plain file name: letters, digits, `.`, `-`, `_`, not starting with a dot.
    package static func isServableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first != ".", name.utf8.count <= 100 else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "." || scalar == "-"
                    || scalar == "_")
        }
    }

    /// The content type for a file name's extension, nil when it is not served.
    package static func contentType(forName name: String) -> String? {
        guard let dot = name.lastIndex(of: ".") else { return nil }
        return contentTypes[name[name.index(after: dot)...].lowercased()]
    }

    /// The response for `request` when its path is one of the files; nil for every other path.
    ///
    /// GET and HEAD are answered (the server drops the body for HEAD); other methods get 405 with `Allow`.
    /// `If-None-Match` with the current ETag gives 304.
    package func response(to request: HTTPRequest) -> HTTPResponse? {
        guard let file = files[String(request.head.path)] else { return nil }
        var fields = HTTPFields()
        fields.set(.cacheControl, "no-cache")
        if let nosniff = HTTPField.Name("X-Content-Type-Options") { fields.set(nosniff, "nosniff") }
        if let referrer = HTTPField.Name("Referrer-Policy") { fields.set(referrer, "no-referrer") }
        guard request.head.method == .get || request.head.method == .head else {
            fields.set(.allow, "GET, HEAD")
            fields.set(.contentType, "text/plain; charset=utf-8")
            return HTTPResponse(status: .methodNotAllowed, fields: fields, body: Array("Use GET or HEAD.\n".utf8))
        }
        fields.set(.etag, file.etag)
        if file.contentType.hasPrefix("text/html"), let csp = HTTPField.Name("Content-Security-Policy") {
            fields.set(csp, Self.contentSecurityPolicy)
        }
        if let tags = request.head.fields[.ifNoneMatch],
            tags.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == file.etag })
        {
            return HTTPResponse(status: .notModified, fields: fields)
        }
        fields.set(.contentType, file.contentType)
        return HTTPResponse(status: .ok, fields: fields, body: file.body)
    }
}
