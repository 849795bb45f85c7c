import ArgumentParser
import Capture
import Detectors
import Foundation
import ReportModel
import ReportWriters
import Rules
import WirecheckKit
import Yams

@main
struct Wirecheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wirecheck",
        abstract: "Inspect an app's network traffic against China's app personal-information transport rules.",
        discussion: """
        Exit codes: 0 no finding reaches --fail-on; 1 a finding does; 2 usage error or no input could be read.
        Rules: `wirecheck rules` lists every rule id; `wirecheck explain WC-TLS-001` shows one.
        Third parties: `wirecheck sdk list`, `wirecheck sdk lookup HOST`, `wirecheck app-types`.
        """,
        version: WirecheckVersion.current,
        subcommands: [Inspect.self, Live.self, Rules.self, Explain.self, SDK.self, AppTypes.self],
        defaultSubcommand: Inspect.self
    )

    /// ArgumentParser's usage errors exit 64; ours exit 2 as documented.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(code == .validationFailure || code.rawValue == 64 ? 2 : (code.rawValue == 0 ? 0 : 2))
        }
    }
}
