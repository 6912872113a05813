import API
import Foundation
import HTTPCore
import TestSupport
import Testing

/// The keys of a YAML document written in the strict subset `docs/openapi.yaml` uses: block mappings by
/// indentation, `- ` list items (kept opaque), quoted or plain scalars, `#` comment lines.
final class YAMLKeyTree {
    private(set) var keys: [String] = []
    private var children: [String: YAMLKeyTree] = [:]

    subscript(key: String) -> YAMLKeyTree? { children[key] }

    /// Parses `text`; throws on a line that is neither a mapping entry nor a list item.
    init(parsing text: String) throws {
        var stack: [(indent: Int, node: YAMLKeyTree)] = [(-1, self)]
        var opaqueIndent: Int?
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.drop { $0 == " " }
            if content.isEmpty || content.hasPrefix("#") { continue }
            let indent = line.count - content.count
            if let opaque = opaqueIndent {
                if indent > opaque || (indent == opaque && content.hasPrefix("- ")) { continue }
                opaqueIndent = nil
            }
            if content.hasPrefix("- ") {
                opaqueIndent = indent
                continue
            }
            guard let colon = content.firstIndex(of: ":"),
                content.index(after: colon) == content.endIndex || content[content.index(after: colon)] == " "
            else {
                throw TestSupportError("openapi.yaml line \(number + 1) is not a mapping entry: \(line)")
            }
            var key = String(content[..<colon])
            if key.count >= 2, key.first == "'" || key.first == "\"", key.last == key.first {
                key = String(key.dropFirst().dropLast())
            }
            while let top = stack.last, top.indent >= indent { stack.removeLast() }
            guard let parent = stack.last?.node else { throw TestSupportError("bad indentation at \(number + 1)") }
            guard parent.children[key] == nil else {
                throw TestSupportError("openapi.yaml line \(number + 1): duplicate key \(key)")
            }
            let node = YAMLKeyTree()
            parent.keys.append(key)
            parent.children[key] = node
            if content[content.index(after: colon)...].trimmingCharacters(in: .whitespaces).isEmpty {
                stack.append((indent, node))
            }
        }
    }

    private init() {}
}

@Suite struct OpenAPIDocumentTests {
    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]

    func document() throws -> (text: String, tree: YAMLKeyTree) {
        let url = RepositoryPaths.root.appendingPathComponent("docs/openapi.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        return (text, try YAMLKeyTree(parsing: text))
    }

    @Test func documentedRoutesAreExactlyTheRegisteredRoutes() throws {
        let (_, tree) = try document()
        #expect(tree.keys.first == "openapi")
        let paths = try #require(tree["paths"])
        var documented = Set<String>()
        for path in paths.keys {
            for method in paths[path]?.keys ?? [] where Self.methods.contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
                #expect(paths[path]?[method]?["responses"] != nil, "\(method) \(path) has no responses")
            }
        }
        #expect(documented.count == 44)
        let api = try APIHarness()
        let registered = Set(api.responder.router.routes.map { "\($0.method.rawValue) \($0.template)" })
        #expect(registered.count == api.responder.router.routes.count, "a route is registered twice")
        #expect(documented.subtracting(registered).sorted() == [], "documented but not served")
        #expect(registered.subtracting(documented).sorted() == [], "served but not documented")
    }

    @Test func everyReferenceResolves() throws {
        let (text, tree) = try document()
        var references = 0
        for line in text.split(separator: "\n") {
            guard let range = line.range(of: "$ref: '#/") else { continue }
            let target = line[range.upperBound...].dropLast()
            var node: YAMLKeyTree? = tree
            for component in target.split(separator: "/") { node = node?[String(component)] }
            #expect(node != nil, "unresolved $ref \(target)")
            references += 1
        }
        #expect(references > 50)
    }
}
