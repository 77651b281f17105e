package hardware

// luhnValid reports whether digits is at least two ASCII digits whose last is the Luhn (ISO/IEC
// 7812-1 mod 10) check digit of the others. Anything that is not a digit makes it false.
func luhnValid(digits []byte) bool {
	if len(digits) < 2 {
		return false
	}
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		c := digits[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}
