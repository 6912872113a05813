import Foundation

// `mtasts-demo` (`make demo`): the whole platform on loopback with a demo tenant; the work is in DemoCommand.
exit(DemoCommand.run(environment: ProcessInfo.processInfo.environment))
