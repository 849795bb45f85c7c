import CBrotli
import CZlib

/// Content and transfer codings undone on bodies, the per-message inflate of
/// permessage-deflate, and gzip/zlib blobs found inside fields: one
/// implementation for the HTTP parser and the PI detectors. Every call has an output cap: a 1 KiB gzip
/// body can claim gigabytes (zip bomb), so output stops at the cap and the
/// result says it was cut.
public enum Decompression {
    public struct Result: Sendable {
        public var output: [UInt8]
        /// The compressed stream reached its end marker.
        public var ended: Bool
        /// Output reached the cap.
        public var capped: Bool
        /// The input is not a valid stream (from the first bad byte on).
        public var failed: Bool

        /// Appends one chunk of output up to `limit` bytes in all; false (and `capped`) once the cap is reached.
        mutating func append(_ produced: ArraySlice<UInt8>, limit: Int) -> Bool {
            guard !produced.isEmpty else { return true }
            let room = limit - output.count
            if produced.count >= room {
                output.append(contentsOf: produced.prefix(max(room, 0)))
                capped = true
                return false
            }
            output.append(contentsOf: produced)
            return true
        }
    }

    private static let chunkSize = 64 << 10

    /// Undoes one named coding; nil for a coding this module does not know.
    public static func decode(_ coding: String, _ input: [UInt8], limit: Int) -> Result? {
        switch coding {
        case "gzip", "x-gzip", "deflate", "x-deflate":
            // Servers mislabel: "deflate" is meant to be zlib-wrapped but is
            // often raw, and "gzip" bodies are sometimes zlib. Auto-detect
            // gzip/zlib headers first, then fall back to raw deflate.
            let wrapped = inflate(input, windowBits: 15 + 32, limit: limit)
            if wrapped.ended || wrapped.capped || (!wrapped.failed && !wrapped.output.isEmpty) { return wrapped }
            let raw = inflate(input, windowBits: -15, limit: limit)
            if raw.ended || raw.capped { return raw }
            return raw.output.count > wrapped.output.count ? raw : wrapped
        case "br":
            return brotli(input, limit: limit)
        default:
            return nil
        }
    }

    /// zlib inflate. `windowBits` as for `inflateInit2` (negative: raw
    /// deflate; +32: gzip or zlib header). Concatenated gzip members are all
    /// inflated. `dictionary` presets the window of a raw stream.
    public static func inflate(_ input: [UInt8], windowBits: Int32, limit: Int, dictionary: [UInt8] = [],
                               syncFlush: Bool = false) -> Result {
        input.withUnsafeBufferPointer { inflate($0, windowBits: windowBits, limit: limit, dictionary: dictionary, syncFlush: syncFlush) }
    }

    public static func inflate(_ input: UnsafeBufferPointer<UInt8>, windowBits: Int32, limit: Int, dictionary: [UInt8] = [],
                               syncFlush: Bool = false) -> Result {
        var result = Result(output: [], ended: false, capped: false, failed: false)
        guard !input.isEmpty else { return result }
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            result.failed = true
            return result
        }
        defer { inflateEnd(&stream) }
        if !dictionary.isEmpty {
            let rc = dictionary.withUnsafeBufferPointer { inflateSetDictionary(&stream, $0.baseAddress, uInt($0.count)) }
            if rc != Z_OK { result.failed = true; return result }
        }
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.avail_in = uInt(input.count)
        while true {
            var rc: Int32 = Z_OK
            let produced = chunk.withUnsafeMutableBufferPointer { out -> Int in
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                rc = CZlib.inflate(&stream, syncFlush ? Z_SYNC_FLUSH : Z_NO_FLUSH)
                return out.count - Int(stream.avail_out)
            }
            if !result.append(chunk[0..<produced], limit: limit) { return result }
            switch rc {
            case Z_STREAM_END:
                // Another gzip member follows (concatenated gzip files).
                if stream.avail_in >= 2, stream.next_in[0] == 0x1F, stream.next_in[1] == 0x8B,
                   inflateReset(&stream) == Z_OK {
                    continue
                }
                result.ended = true
                return result
            case Z_OK:
                if stream.avail_in == 0 && stream.avail_out > 0 { return result }
            case Z_BUF_ERROR:
                // No progress possible: input exhausted before the end.
                if stream.avail_in == 0 { return result }
                if produced == 0 { result.failed = true; return result }
            default:
                result.failed = true
                return result
            }
        }
    }

    public static func brotli(_ input: [UInt8], limit: Int) -> Result {
        var result = Result(output: [], ended: false, capped: false, failed: false)
        guard !input.isEmpty else { return result }
        guard let state = BrotliDecoderCreateInstance(nil, nil, nil) else {
            result.failed = true
            return result
        }
        defer { BrotliDecoderDestroyInstance(state) }
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        input.withUnsafeBufferPointer { inputBuffer in
            var availableIn = inputBuffer.count
            var nextIn: UnsafePointer<UInt8>? = inputBuffer.baseAddress
            while true {
                var code = BROTLI_DECODER_RESULT_ERROR
                let produced = chunk.withUnsafeMutableBufferPointer { out -> Int in
                    var availableOut = out.count
                    var nextOut: UnsafeMutablePointer<UInt8>? = out.baseAddress
                    code = BrotliDecoderDecompressStream(state, &availableIn, &nextIn, &availableOut, &nextOut, nil)
                    return out.count - availableOut
                }
                if !result.append(chunk[0..<produced], limit: limit) { return }
                if code == BROTLI_DECODER_RESULT_SUCCESS { result.ended = true; return }
                if code == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT { continue }
                if code == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT { return }
                result.failed = true
                return
            }
        }
        return result
    }
}
