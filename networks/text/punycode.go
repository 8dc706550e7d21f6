package text

import (
	"math"
	"unicode"
	"unicode/utf8"
)

// punycodeLen of a label needs only the length of its punycode form, so
// it is computed by the encoding procedure of RFC 3492, section 6.3,
// counting the digits instead of writing them: no allocation. The
// parameters are those of section 5; the results are those of
// golang.org/x/net/idna's Punycode profile (TestPunycodeEncodedLen).

const (
	punyBase        = 36
	punyTMin        = 1
	punyTMax        = 26
	punySkew        = 38
	punyDamp        = 700
	punyInitialBias = 72
	punyInitialN    = 128
)

// punyRejectsFFFD is true when golang.org/x/net/idna refuses U+FFFD in a
// label it encodes (its tables of Unicode 16 and later).
const punyRejectsFFFD = unicode.Version >= "16.0.0"

// punycodeEncodedLen returns the length of "xn--" and the RFC 3492
// encoding of the valid UTF-8 label s, or false when the encoding
// overflows 32-bit arithmetic (RFC 3492, section 6.4), as idna reports.
func punycodeEncodedLen(s string) (int, bool) {
	basic, remaining := 0, 0
	for _, r := range s {
		if punyRejectsFFFD && r == utf8.RuneError {
			return 0, false
		}
		if r < 0x80 {
			basic++
		} else {
			remaining++
		}
	}
	out := len("xn--") + basic
	if basic > 0 {
		out++ // the delimiter
	}
	delta, n, bias := int32(0), int32(punyInitialN), int32(punyInitialBias)
	h := int32(basic)
	for remaining > 0 {
		m := int32(math.MaxInt32)
		for _, r := range s {
			if r >= n && r < m {
				m = r
			}
		}
		// delta += (m - n) * (h + 1), refusing an overflow
		if p := int64(m-n) * int64(h+1); p > math.MaxInt32-int64(delta) {
			return 0, false
		} else {
			delta += int32(p)
		}
		n = m
		for _, r := range s {
			if r < n {
				if delta++; delta < 0 {
					return 0, false
				}
				continue
			}
			if r > n {
				continue
			}
			// one variable-length integer: its digits
			q := delta
			for k := int32(punyBase); ; k += punyBase {
				t := k - bias
				if k <= bias {
					t = punyTMin
				} else if k >= bias+punyTMax {
					t = punyTMax
				}
				if q < t {
					break
				}
				out++
				q = (q - t) / (punyBase - t)
			}
			out++
			bias = punyAdapt(delta, h+1, h == int32(basic))
			delta = 0
			h++
			remaining--
		}
		delta++
		n++
	}
	return out, true
}

// punyAdapt is the bias adaptation function of RFC 3492, section 6.1.
func punyAdapt(delta, numPoints int32, first bool) int32 {
	if first {
		delta /= punyDamp
	} else {
		delta /= 2
	}
	delta += delta / numPoints
	k := int32(0)
	for delta > ((punyBase-punyTMin)*punyTMax)/2 {
		delta /= punyBase - punyTMin
		k += punyBase
	}
	return k + (punyBase-punyTMin+1)*delta/(delta+punySkew)
}
