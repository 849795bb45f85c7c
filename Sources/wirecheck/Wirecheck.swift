import ArgumentParser
import WirecheckKit

@main
struct Wirecheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wirecheck",
        abstract: "Inspect an app's network traffic against China's app personal-information transport rules."
    )
    func run() throws {
        print("wirecheck: nothing to do yet")
    }
}
