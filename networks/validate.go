package networks

import (
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks/text"
)

// Validate checks d against spec and returns every violation at once, as a
// [*ValidationError] whose Violations say, for each, the network, the field,
// the limit, the actual value and, for text, the byte offset where the text
// overflows. It returns nil when d fits. The error matches
// [socialflow.ErrInvalid].
//
// Text with invalid UTF-8 or the code points U+FFFE, U+FEFF or U+FFFF is a
// violation of rule [RuleInvalidText] (its length is then not counted).
// Validate is pure and safe for concurrent use.
func Validate(spec Spec, d Draft) error {
	v := validator{spec: spec}
	v.draft(d)
	if len(v.out) == 0 {
		return nil
	}
	return &ValidationError{Network: spec.Network, Violations: v.out}
}

type validator struct {
	spec Spec
	out  []*Violation
}

func (v *validator) add(field, rule string, limit, value int64, offset int, detail string, err error) {
	v.out = append(v.out, &Violation{
		Network: v.spec.Network, Field: field, Rule: rule,
		Limit: limit, Value: value, Offset: offset, Detail: detail, Err: err,
	})
}

func (v *validator) max(field string, limit int, value int) {
	if limit > 0 && value > limit {
		v.add(field, RuleMax, int64(limit), int64(value), -1, "", nil)
	}
}

func (v *validator) unsupported(field string) {
	v.add(field, RuleUnsupported, 0, 0, -1, v.spec.Name+" does not support it", nil)
}

func (v *validator) draft(d Draft) {
	s := v.spec
	if s.Text.Required && d.Text == "" {
		v.add("text", RuleRequired, 0, 0, -1, "", nil)
	}
	v.text("text", d.Text, true)
	for i, t := range d.Thread {
		v.text("thread["+strconv.Itoa(i)+"]", t, true)
	}
	if len(d.Thread) > 0 && !s.Features.Threads {
		v.unsupported("thread")
	}
	if d.FirstComment != "" {
		if !s.Features.FirstComment {
			v.unsupported("first_comment")
		}
		v.text("first_comment", d.FirstComment, false)
	}
	if d.Title != "" {
		if !s.Features.Title && s.Text.MaxTitle == 0 {
			v.unsupported("title")
		}
		if v.valid("title", d.Title) {
			v.max("title", s.Text.MaxTitle, utf8.RuneCountInString(d.Title))
		}
	}
	if d.Link != "" {
		if !s.Features.Link {
			v.unsupported("link")
		}
		if v.valid("link", d.Link) {
			v.max("link", s.Text.MaxLink, len(d.Link))
		}
	}
	if d.Poll != nil {
		v.poll(d.Poll)
	}
	v.media(d.Media)
}

// valid reports whether s is well-formed text, adding a violation if not.
func (v *validator) valid(field, s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			v.add(field, RuleInvalidText, 0, 0, i, "invalid UTF-8", &text.InvalidTextError{Offset: i, Reason: "invalid UTF-8"})
			return false
		case r == 0xFFFE || r == 0xFEFF || r == 0xFFFF:
			reason := fmt.Sprintf("forbidden character U+%04X", r)
			v.add(field, RuleInvalidText, 0, 0, i, fmt.Sprintf("U+%04X", r), &text.InvalidTextError{Offset: i, Reason: reason})
			return false
		}
		i += size
	}
	return true
}

// text checks one text field: well-formed, length by the spec's method, byte
// cap and, when entities is set, the entity caps.
func (v *validator) text(field, s string, entities bool) {
	if !v.valid(field, s) {
		return
	}
	t := v.spec.Text
	if t.MaxLength > 0 && t.Method != "" {
		n, err := text.Count(t.Method, s)
		switch {
		case err != nil:
			v.add(field, RuleInvalidText, 0, 0, -1, "", err)
			return
		case n > t.MaxLength:
			off, err := text.Overflow(t.Method, s, t.MaxLength)
			if err != nil {
				off = -1
			}
			v.add(field, RuleMax, int64(t.MaxLength), int64(n), off, string(t.Method), nil)
		}
	}
	if t.MaxBytes > 0 && len(s) > t.MaxBytes {
		off := t.MaxBytes
		for off > 0 && !utf8.RuneStart(s[off]) {
			off--
		}
		v.add(field, RuleMax, int64(t.MaxBytes), int64(len(s)), off, "bytes", nil)
	}
	if !entities || (t.MaxTags == 0 && t.MaxMentions == 0 && t.MaxLinks == 0 && t.MaxCashtags == 0) {
		return
	}
	caps := map[text.EntityKind]struct {
		name  string
		limit int
	}{
		text.Hashtag: {"hashtags", t.MaxTags},
		text.Mention: {"mentions", t.MaxMentions},
		text.URL:     {"links", t.MaxLinks},
		text.Cashtag: {"cashtags", t.MaxCashtags},
	}
	counts := map[text.EntityKind]int{}
	first := map[text.EntityKind]int{} // offset of the first entity over the cap
	for _, e := range text.Extract(s) {
		counts[e.Kind]++
		if c := caps[e.Kind]; c.limit > 0 && counts[e.Kind] == c.limit+1 {
			first[e.Kind] = e.Start
		}
	}
	for _, k := range []text.EntityKind{text.Hashtag, text.Mention, text.URL, text.Cashtag} {
		c := caps[k]
		if c.limit > 0 && counts[k] > c.limit {
			v.add(field+"."+c.name, RuleMax, int64(c.limit), int64(counts[k]), first[k], "", nil)
		}
	}
}

func (v *validator) poll(p *Poll) {
	rules := v.spec.Features.Polls
	if rules == nil {
		v.unsupported("poll")
		return
	}
	if len(p.Options) < 2 {
		v.add("poll.options", RuleMin, 2, int64(len(p.Options)), -1, "", nil)
	}
	v.max("poll.options", rules.MaxOptions, len(p.Options))
	for i, o := range p.Options {
		f := "poll.options[" + strconv.Itoa(i) + "]"
		if v.valid(f, o) {
			v.max(f, rules.MaxOptionLength, utf8.RuneCountInString(o))
		}
	}
	if rules.MinDuration > 0 && p.Duration < rules.MinDuration {
		v.add("poll.duration", RuleMin, int64(rules.MinDuration), int64(p.Duration), -1, p.Duration.String(), nil)
	}
	if rules.MaxDuration > 0 && p.Duration > rules.MaxDuration {
		v.add("poll.duration", RuleMax, int64(rules.MaxDuration), int64(p.Duration), -1, p.Duration.String(), nil)
	}
}

func (v *validator) media(items []MediaItem) {
	m := v.spec.Media
	switch {
	case len(items) > 0 && m.MaxItems == 0 && len(m.Kinds) == 0:
		v.unsupported("media")
	case m.MaxItems > 0 && len(items) > m.MaxItems:
		v.add("media", RuleMax, int64(m.MaxItems), int64(len(items)), -1, "", nil)
	}
	if len(items) < m.MinItems {
		v.add("media", RuleMin, int64(m.MinItems), int64(len(items)), -1, "", nil)
	}
	perKind := map[assets.Kind]int{}
	var kinds []assets.Kind
	for i, it := range items {
		f := "media[" + strconv.Itoa(i) + "]"
		if !it.Kind.IsMedia() {
			v.add(f+".kind", RuleKind, 0, 0, -1, strconv.Quote(string(it.Kind)), it.Media.Validate())
			continue
		}
		if err := it.Media.Validate(); err != nil {
			v.add(f, RuleInvalid, 0, 0, -1, "", err)
			continue
		}
		if perKind[it.Kind] == 0 {
			kinds = append(kinds, it.Kind)
		}
		perKind[it.Kind]++
		if it.Alt != "" {
			if !v.spec.Features.AltText {
				v.unsupported(f + ".alt")
			}
			if v.valid(f+".alt", it.Alt) {
				v.max(f+".alt", v.spec.Text.MaxAlt, utf8.RuneCountInString(it.Alt))
			}
		}
		l, ok := m.Kinds[it.Kind]
		if !ok {
			if len(m.Kinds) > 0 || m.MaxItems > 0 {
				v.add(f+".kind", RuleKind, 0, 0, -1, string(it.Kind), nil)
			}
			continue
		}
		v.item(f, it.Media, l)
	}
	for _, k := range kinds {
		if l, ok := m.Kinds[k]; ok {
			v.max("media."+string(k)+".count", l.MaxCount, perKind[k])
		}
	}
	if !m.Mixing && len(kinds) > 1 {
		names := make([]string, len(kinds))
		for i, k := range kinds {
			names[i] = string(k)
		}
		v.add("media", RuleMixing, 1, int64(len(kinds)), -1, fmt.Sprint(names), nil)
	}
}

func (v *validator) item(f string, md assets.Media, l MediaLimit) {
	if len(l.MIME) > 0 && !slices.Contains(l.MIME, md.MIME) {
		v.add(f+".mime", RuleMIME, 0, 0, -1, md.MIME, nil)
	}
	if l.MaxSize > 0 && md.Size > l.MaxSize {
		v.add(f+".size", RuleMax, l.MaxSize, md.Size, -1, "", nil)
	}
	if md.Width > 0 {
		v.max(f+".width", l.MaxWidth, md.Width)
		if md.Width < l.MinWidth {
			v.add(f+".width", RuleMin, int64(l.MinWidth), int64(md.Width), -1, "", nil)
		}
	}
	if md.Height > 0 {
		v.max(f+".height", l.MaxHeight, md.Height)
		if md.Height < l.MinHeight {
			v.add(f+".height", RuleMin, int64(l.MinHeight), int64(md.Height), -1, "", nil)
		}
	}
	if px := int64(md.Width) * int64(md.Height); l.MaxPixels > 0 && px > l.MaxPixels {
		v.add(f+".pixels", RuleMax, l.MaxPixels, px, -1, "", nil)
	}
	if a := md.Aspect(); a > 0 {
		// Aspect ratios are reported in thousandths (1910 = 1.91:1).
		if l.MinAspect > 0 && a < l.MinAspect-1e-9 {
			v.add(f+".aspect", RuleMin, int64(l.MinAspect*1000+0.5), int64(a*1000+0.5), -1, "thousandths", nil)
		}
		if l.MaxAspect > 0 && a > l.MaxAspect+1e-9 {
			v.add(f+".aspect", RuleMax, int64(l.MaxAspect*1000+0.5), int64(a*1000+0.5), -1, "thousandths", nil)
		}
	}
	if md.Duration > 0 {
		if l.MinDuration > 0 && md.Duration < l.MinDuration {
			v.add(f+".duration", RuleMin, int64(l.MinDuration), int64(md.Duration), -1, md.Duration.String(), nil)
		}
		if l.MaxDuration > 0 && md.Duration > l.MaxDuration {
			v.add(f+".duration", RuleMax, int64(l.MaxDuration), int64(md.Duration), -1, md.Duration.String(), nil)
		}
	}
}
