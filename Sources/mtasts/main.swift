import Foundation
import Glibc

// `mtasts <command> [options]`: argument parsing and wiring only; the work lives in the modules.
let arguments = Array(CommandLine.arguments.dropFirst())
let exitCode = CommandRunner.run(arguments: arguments, environment: ProcessInfo.processInfo.environment)
exit(exitCode)
