/// Luhn (mod 10) check shared by IMEI, ICCID and bank cards.
enum Luhn {
    static func isValid(_ digits: UnsafeBufferPointer<UInt8>) -> Bool {
        var sum = 0
        var double = false
        var i = digits.count - 1
        while i >= 0 {
            var d = Int(digits[i] &- 48)
            if d > 9 { return false }
            if double { d *= 2; if d > 9 { d -= 9 } }
            sum += d
            double.toggle()
            i -= 1
        }
        return sum % 10 == 0
    }

    static func isValid(_ s: String) -> Bool {
        var a = Array(s.utf8)
        return a.withUnsafeMutableBufferPointer { isValid(UnsafeBufferPointer($0)) }
    }
}
