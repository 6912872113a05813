import Foundation
import TestSupport

/// Headless Chromium, its driver and the project's Python with Selenium: checked before a browser test runs.
///
/// A missing piece is a failure naming the command that installs it (`make deps` does all of them).
struct BrowserTools {
    /// The install command for everything a browser test needs.
    static let installHint =
        "make deps (apt-get install -y chromium chromium-driver python3-venv; "
        + "python3 -m venv .venv && .venv/bin/pip install selenium)"

    /// `/usr/bin/chromium`.
    let chromium: String
    /// `/usr/bin/chromedriver`.
    let chromedriver: String
    /// The project's `.venv/bin/python`, which has Selenium.
    let python: String

    /// Finds the tools and checks that Selenium imports.
    /// - Parameter scratch: a directory for the check's output.
    /// - Throws: ``TestSupportError`` with ``installHint`` when something is missing.
    static func require(scratch: TemporaryDirectory) throws -> BrowserTools {
        let chromium = try Requirement.executable("chromium", installHint: installHint)
        let chromedriver = try Requirement.executable("chromedriver", installHint: installHint)
        let python = RepositoryPaths.root.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestSupportError("\(python) is missing; install it with: \(installHint)")
        }
        let (termination, output) = try ManagedProcess.run(
            name: "selenium-check",
            executable: python,
            arguments: ["-c", "import selenium"],
            logDirectory: scratch.path
        )
        guard termination == .exited(0) else {
            throw TestSupportError("Selenium does not import in \(python) (\(output)); install it with: \(installHint)")
        }
        return BrowserTools(chromium: chromium, chromedriver: chromedriver, python: python)
    }
}
