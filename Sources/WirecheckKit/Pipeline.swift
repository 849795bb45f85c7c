import Analyzers
import Capture
import Detectors
import ReportModel
import Rules
import ThirdParties

public enum WirecheckVersion {
    public static let current = "0.1.0"
}

/// A run's configuration. `run` (files) and `runLive` (libpcap) drive the
/// same `Engine`; both return the report model and stream items as they
/// are known to `onItem`.
public struct Pipeline {
    public var policy: Policy
    public var limits = DissectionLimits()
    public var failOn: Severity?
    /// The test phone's own identifiers (--device), matched in every form.
    public var device: DeviceIdentifiers?
    /// Collects the PI scanner's CPU time and input bytes (--stats).
    public var scanMeter: ScanMeter?
    /// Show raw PI values in the report (--reveal).
    public var reveal = false
    public var registry = AnalyzerRegistry.standard
    /// The report lists at most this many flows (flows that carried payload first); the rest are counted.
    public var maximumFlowsInReport = 100_000
    /// The SDK catalogue attribution reads (built in, or `--sdk-catalog`).
    public var catalog: SDKCatalog
    /// The app's own domain suffixes (`--first-party` and the declared list's).
    public var firstPartyDomains: [String] = []
    /// The declared list, consent and app type the third-party rules judge against.
    public var thirdParty = ThirdPartyConfiguration()

    public init(policy: Policy, failOn: Severity?, device: DeviceIdentifiers? = nil, catalog: SDKCatalog = .standard) {
        self.policy = policy
        self.catalog = catalog
        self.failOn = failOn
        self.device = device
    }

    func makeInspection() -> PlaintextInspection? {
        guard policy.inspectPersonalInformation else { return nil }
        var caps = InspectionLimits()
        if let depth = policy.limits.decodeDepth { caps.maxDepth = depth }
        if let bytes = policy.limits.decodedBytes { caps.maxDecodedBytes = bytes }
        if let depth = policy.limits.jsonDepth { caps.maxJSONDepth = depth }
        var inspector = PIInspector(device: device, limits: caps)
        inspector.meter = scanMeter
        var inspection = PlaintextInspection(inspector: inspector)
        inspection.inspectUDP = policy.inspectUDP
        if let bytes = policy.limits.rawScanBytes { inspection.maximumRawBytesPerDirection = bytes }
        return inspection
    }

    /// The engine's caps: the built-in values, with the policy's `limits:` over them.
    var dissectionLimits: DissectionLimits {
        var caps = limits
        let set = policy.limits
        if let value = set.httpHeadBytes { caps.http.maxHeaderBytes = value }
        if let value = set.httpHeaderFields { caps.http.maxHeaders = value }
        if let value = set.httpBodyBytes { caps.http.maxBodyBytes = value }
        if let value = set.httpDecompressedBytes { caps.http.maxDecompressedBytes = value }
        if let value = set.openFlows { caps.maximumOpenFlows = value }
        if let value = set.flowReassemblyBytes { caps.perFlowHeldBytes = value }
        if let value = set.reassemblyBytes { caps.globalHeldBytes = value }
        if let value = set.fragmentPending { caps.maximumPendingFragmentedDatagrams = value }
        if let value = set.fragmentBytes { caps.fragmentHeldBytes = value }
        if let value = set.fragmentTimeoutSeconds { caps.fragmentTimeoutNanos = Int64(value) * 1_000_000_000 }
        return caps
    }

    /// Reads every input in order. An input that cannot be opened is listed
    /// with its error and the others are still analysed.
    public func run(inputs paths: [String], generatedAt: String, onItem: ((ReportItem) -> Void)? = nil,
                    progress: ((ProgressView) -> Void)? = nil) -> Report {
        let engine = Engine(pipeline: self, inputPaths: paths, onItem: onItem, onProgress: progress)
        for (index, path) in paths.enumerated() {
            do {
                engine.read(try CaptureFileReader(path: path), as: index)
            } catch {
                engine.unreadable(path, error.message)
            }
        }
        return engine.finish(generatedAt: generatedAt)
    }

    /// Live mode: the same engine fed by libpcap until the capture stops.
    public func runLive(_ capture: LiveCapture, generatedAt: String, onItem: ((ReportItem) -> Void)? = nil) -> Report {
        let engine = Engine(pipeline: self, inputPaths: [capture.name], onItem: onItem, onProgress: nil)
        engine.read(capture, as: 0)
        return engine.finish(generatedAt: generatedAt)
    }
}
