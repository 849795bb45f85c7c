import Testing
@testable import Capture

/// Whether the capture digest gets its own thread depends on the CPUs the process may use.
@Suite struct CaptureDigestTests {
    @Test(arguments: [
        ("Name:\twirecheck\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n", 2 as Int?),
        ("Cpus_allowed:\t1\n", 1),
        ("Cpus_allowed:\tff,ffffffff\n", 40),
        ("Cpus_allowed:\t00000000,00000004", 1),
        ("Cpus_allowed:\tFF\n", 8),
        ("Cpus_allowed:\t0\n", nil),
        ("Cpus_allowed_list:\t0-3\n", nil),
        ("Cpus_allowed:\tzz\n", nil),
        ("", nil),
    ])
    func affinityMaskFromProcStatus(_ status: String, _ expected: Int?) {
        #expect(BackgroundDigest.allowedCPUCount(status: Array(status.utf8)) == expected)
    }
}
