package text

import "math/bits"

// UTF-16 offsets of entities: twitter-text reports offsets in UTF-16 code
// units, JavaScript's string indices. On well-formed UTF-8 a code point
// takes one unit when it is in the BMP and two (a surrogate pair) when it
// is above U+FFFF (the Unicode Standard, section 3.9, D91), so the length
// is one unit per byte that is not a continuation byte, plus one for each
// lead byte of a four-byte form (F0..F4, Table 3-7). A byte that belongs to
// no well-formed sequence counts as one unit, as U+FFFD, as
// utf16LenChecked counts it.

// States of utf16DFA, each the shift of its field in a row of the table.
const (
	u16Accept  = 6 * iota // between code points
	u16Cont1              // one continuation byte (80..BF) to go
	u16Cont2              // two to go
	u16Cont3              // three to go
	u16AfterE0            // after E0: A0..BF, then one more
	u16AfterED            // after ED: 80..9F (no surrogates), then one more
	u16AfterF0            // after F0: 90..BF, then two more
	u16AfterF4            // after F4: 80..8F (nothing past U+10FFFF), then two more
	u16Error              // not well-formed; stays here
)

// u16UnitsShift is where a row of utf16DFA keeps the UTF-16 units its byte
// adds when the text is well-formed: 0 for a continuation byte, 2 for the
// lead byte of a four-byte form, 1 for any other byte.
const u16UnitsShift = 62

// utf16DFA is a deterministic automaton that accepts well-formed UTF-8
// (the Unicode Standard, Table 3-7), in the "shift" layout: the row of a
// byte holds, for each state, the next state in the six bits at that
// state's shift, so a step is one table load and one shift, with no branch.
// The top two bits of a row are the units of the byte (u16UnitsShift);
// shifted down by at most u16Error they stay clear of the six low bits,
// the state.
var utf16DFA = func() (t [256]uint64) {
	set := func(b, from, to int) { t[b] |= uint64(to) << from }
	for b := range 256 {
		for st := u16Accept; st <= u16Error; st += 6 {
			next := u16Error
			switch {
			case st == u16Error:
			case b < 0x80:
				if st == u16Accept {
					next = u16Accept
				}
			case b < 0xC0: // a continuation byte
				switch st {
				case u16Cont1:
					next = u16Accept
				case u16Cont2:
					next = u16Cont1
				case u16Cont3:
					next = u16Cont2
				case u16AfterE0:
					if b >= 0xA0 {
						next = u16Cont1
					}
				case u16AfterED:
					if b < 0xA0 {
						next = u16Cont1
					}
				case u16AfterF0:
					if b >= 0x90 {
						next = u16Cont2
					}
				case u16AfterF4:
					if b < 0x90 {
						next = u16Cont2
					}
				}
			case st != u16Accept: // a lead byte where a continuation belongs
			case b >= 0xC2 && b < 0xE0:
				next = u16Cont1
			case b == 0xE0:
				next = u16AfterE0
			case b == 0xED:
				next = u16AfterED
			case b > 0xE0 && b < 0xF0:
				next = u16Cont2
			case b == 0xF0:
				next = u16AfterF0
			case b > 0xF0 && b < 0xF4:
				next = u16Cont3
			case b == 0xF4:
				next = u16AfterF4
			}
			set(b, st, next)
		}
		units := uint64(1)
		switch {
		case b >= 0x80 && b < 0xC0:
			units = 0
		case b >= 0xF0 && b < 0xF5:
			units = 2
		}
		t[b] |= units << u16UnitsShift
	}
	return t
}()

// utf16LenFast returns the length of s in UTF-16 code units, each byte that
// is not part of well-formed UTF-8 counting as one (utf16LenChecked's
// count). It runs utf16DFA over s, adding the units of each byte, and only
// when s does not end in the accepting state (it is not well-formed, or a
// sequence is cut off at its end) counts again with utf16LenChecked.
func utf16LenFast(s string) int {
	n, st := 0, uint64(u16Accept)
	i := 0
	for ; i+4 <= len(s); i += 4 { // four bytes a step: the loads go ahead of the chain of shifts
		b := s[i : i+4]
		r0, r1, r2, r3 := utf16DFA[b[0]], utf16DFA[b[1]], utf16DFA[b[2]], utf16DFA[b[3]]
		n += int(r0>>u16UnitsShift + r1>>u16UnitsShift + r2>>u16UnitsShift + r3>>u16UnitsShift)
		st = r0 >> (st & 63)
		st = r1 >> (st & 63)
		st = r2 >> (st & 63)
		st = r3 >> (st & 63)
	}
	for ; i < len(s); i++ {
		row := utf16DFA[s[i]]
		n += int(row >> u16UnitsShift)
		st = row >> (st & 63)
	}
	if st&63 != u16Accept {
		return utf16LenChecked(s)
	}
	return n
}

// utf16LenValid returns the length of s, which must be well-formed
// UTF-8, in UTF-16 code units (one for each code point, two for those past
// U+FFFF), eight bytes at a time: in each word it counts the continuation bytes (10xxxxxx: the top
// bit set and the next one clear) and the lead bytes of four-byte forms
// (11110xxx, the top four bits set; on well-formed UTF-8 no byte is F8 or
// more) with one population count each. On text that is not well-formed
// the count means nothing; utf16LenFast is the count for any text.
func utf16LenValid(s string) int {
	const highs = 0x8080808080808080
	n, i := 0, 0
	for ; i+8 <= len(s); i += 8 {
		w := load64(s, i)
		cont := w &^ (w << 1) & highs
		four := w & (w << 1) & (w << 2) & (w << 3) & highs
		n += 8 - bits.OnesCount64(cont) + bits.OnesCount64(four)
	}
	for ; i < len(s); i++ {
		n += int(utf16DFA[s[i]] >> u16UnitsShift)
	}
	return n
}

// load64 returns the eight bytes of s at i as a little-endian word; the
// compiler makes it one load.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}
