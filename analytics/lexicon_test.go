package analytics

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
)

func defaultClassifier(t testing.TB) *LexiconClassifier {
	t.Helper()
	c, err := NewLexiconClassifier(DefaultLexicon())
	require.NoError(t, err)
	return c
}

func TestLexiconClassifier(t *testing.T) {
	c := defaultClassifier(t)
	tests := []struct {
		name, text, lang string
		want             Sentiment
		labels           []string
		why              string
	}{
		{"praise", "I love this, thanks!", "en", SentimentPositive, nil, "positive: love, thanks"},
		{"complaint", "My order never arrived and I want a refund", "en", SentimentNegative, []string{"complaint"}, "negative: never arrived, refund; labels: complaint"},
		{"negated positive", "this is not good at all", "en", SentimentNegative, nil, "negative: not … good"},
		{"negated negative", "honestly not bad", "", SentimentPositive, nil, "positive: not … bad"},
		{"negator too far", "not that I would ever say it is good", "en", SentimentPositive, nil, "positive: good"},
		{"question", "How do I change my password?", "en-GB", SentimentNeutral, []string{"question"}, "labels: question"},
		{"spam", "FREE FOLLOWERS click here", "en", SentimentNeutral, []string{"spam"}, "labels: spam"},
		{"urgent complaint", "Urgent: the app is broken, not working since the update?", "en", SentimentNegative, []string{"complaint", "question", "urgent"}, ""},
		{"emoji with selector", "❤️ ❤ 😡", "en", SentimentPositive, nil, "positive: ❤, ❤; negative: 😡"},
		{"typographic apostrophe", "It doesn’t work", "en", SentimentNegative, []string{"complaint"}, "negative: doesn't work; labels: complaint"},
		{"spanish", "No funciona, quiero un reembolso", "es-MX", SentimentNegative, []string{"complaint"}, ""},
		{"german by subtag", "Danke, super schnell!", "de_AT", SentimentPositive, nil, ""},
		{"unknown language falls back", "great", "xx", SentimentPositive, nil, "positive: great"},
		{"nothing", "Meeting at 10", "en", SentimentNeutral, nil, "no lexicon entry matched"},
		{"markup and controls", "<b>awful</b>\x00\x1b[31m", "en", SentimentNegative, nil, "negative: awful"},
		{"invalid utf-8", "gr\xffeat \xfe\xfe terrible", "en", SentimentNegative, nil, "negative: terrible"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Classify(context.Background(), tt.text, tt.lang)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.Sentiment, "why: %s", got.Why)
			assert.Equal(t, tt.labels, got.Labels)
			if tt.why != "" {
				assert.Equal(t, tt.why, got.Why)
			}
			assert.True(t, got.Score > -1 && got.Score < 1, "score %v", got.Score)
		})
	}
}

func TestLexiconClassifierScore(t *testing.T) {
	c := defaultClassifier(t)
	one, _ := c.Classify(context.Background(), "bad", "en")
	three, _ := c.Classify(context.Background(), "bad awful terrible", "en")
	assert.InDelta(t, -1/4.0, one.Score, 1e-9, "−1/√16")
	assert.InDelta(t, -3/(24.0/6.0*1.2247448713915890), three.Score, 1e-9, "−3/√24")
	assert.Less(t, three.Score, one.Score, "more negative words, a stronger score")
}

func TestLexiconClassifierHostile(t *testing.T) {
	c := defaultClassifier(t)
	huge := strings.Repeat("terrible ", 1<<17) // 1.1 MB, more tokens than the bound
	got, err := c.Classify(context.Background(), huge, "en")
	require.NoError(t, err)
	assert.Equal(t, SentimentNegative, got.Sentiment)
	assert.LessOrEqual(t, utf8.RuneCountInString(got.Why), 320, "why is bounded")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Classify(ctx, "great", "en")
	assert.ErrorIs(t, err, context.Canceled)

	var zero *LexiconClassifier
	_, err = zero.Classify(context.Background(), "x", "")
	assert.ErrorIs(t, err, socialflow.ErrInvalid)
}

func TestNewLexiconClassifierRefuses(t *testing.T) {
	base := func() Lexicon {
		return Lexicon{Fallback: "en", Languages: map[string]WordLists{"en": {Positive: []string{"good"}, Negative: []string{"bad"}}}}
	}
	tests := []struct {
		name  string
		edit  func(*Lexicon)
		field string
	}{
		{"no languages", func(l *Lexicon) { l.Languages = nil }, "languages"},
		{"fallback missing", func(l *Lexicon) { l.Fallback = "fr" }, "fallback"},
		{"empty entry", func(l *Lexicon) {
			w := l.Languages["en"]
			w.Negative = append(w.Negative, " ?!"[0:1])
			l.Languages["en"] = w
		}, `languages["en"].negative[1]`},
		{"phrase negator", func(l *Lexicon) {
			w := l.Languages["en"]
			w.Negators = []string{"by no means"}
			l.Languages["en"] = w
		}, `languages["en"].negators[0]`},
		{"bad label", func(l *Lexicon) {
			w := l.Languages["en"]
			w.Labels = map[string][]string{"Complaint!": {"refund"}}
			l.Languages["en"] = w
		}, `languages["en"].labels`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := base()
			tt.edit(&l)
			_, err := NewLexiconClassifier(l)
			var fe *FieldError
			require.True(t, errors.As(err, &fe), "%v", err)
			assert.Equal(t, tt.field, fe.Field)
			assert.ErrorIs(t, err, socialflow.ErrInvalid)
		})
	}
	_, err := ParseLexicon([]byte(`{"fallback":"en","languages":{},"extra":1}`))
	assert.ErrorIs(t, err, socialflow.ErrInvalid, "unknown fields are refused")
	_, err = ParseLexicon([]byte(`{"fallback":"en"} {}`))
	assert.ErrorIs(t, err, socialflow.ErrInvalid)
}

func TestDefaultLexiconIsACopy(t *testing.T) {
	a := DefaultLexicon()
	a.Languages["en"] = WordLists{}
	b := DefaultLexicon()
	assert.NotEmpty(t, b.Languages["en"].Positive)
	assert.Equal(t, "en", b.Fallback)
	for tag, w := range b.Languages {
		assert.NotEmpty(t, w.Positive, tag)
		assert.NotEmpty(t, w.Negative, tag)
		assert.Len(t, w.Labels, 4, tag)
	}
}

// FuzzClassify: any text classifies without error or panic, deterministically,
// with a score in (−1, 1), sorted labels and a valid-UTF-8 explanation.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{"", "not good", "❤️\u200d🔥", "\xff\xfe", "it's-a ''--", "¿Cómo?", strings.Repeat("bad ", 50)} {
		f.Add(s, "en")
	}
	c := defaultClassifier(f)
	f.Fuzz(func(t *testing.T, text, lang string) {
		a, err := c.Classify(context.Background(), text, lang)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := c.Classify(context.Background(), text, lang)
		if a.Score != b.Score || a.Why != b.Why || strings.Join(a.Labels, ",") != strings.Join(b.Labels, ",") {
			t.Fatalf("not deterministic: %+v vs %+v", a, b)
		}
		if a.Score <= -1 || a.Score >= 1 {
			t.Fatalf("score %v", a.Score)
		}
		if !utf8.ValidString(a.Why) {
			t.Fatalf("why %q", a.Why)
		}
		for i := 1; i < len(a.Labels); i++ {
			if a.Labels[i-1] >= a.Labels[i] {
				t.Fatalf("labels %v", a.Labels)
			}
		}
	})
}

func BenchmarkClassify(b *testing.B) {
	c := defaultClassifier(b)
	text := "Hi @brand, my order #1234 never arrived and support is not helpful at all. I want a refund, how do I get one? 😡"
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Classify(context.Background(), text, "en"); err != nil {
			b.Fatal(err)
		}
	}
}

// tokenizeSimple is the plain statement of tokenize's rules, building every
// token: the fast tokenizer must give the same tokens.
func tokenizeSimple(s string, limit int) []string {
	var dst []string
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			if tok := strings.TrimRight(word.String(), "'-"); tok != "" {
				dst = append(dst, tok)
			}
			word.Reset()
		}
	}
	for i := 0; i < len(s) && len(dst) < limit; {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n <= 1:
			flush()
		case r == '\uFE0E' || r == '\uFE0F' || r == '\u200D':
		case unicode.IsLetter(r) || unicode.IsDigit(r) || (word.Len() > 0 && unicode.Is(unicode.M, r)):
			word.WriteRune(unicode.ToLower(r))
		case r == '-' && word.Len() > 0:
			word.WriteByte('-')
		case (r == '\'' || r == '’') && word.Len() > 0:
			word.WriteByte('\'')
		case unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			flush()
		case unicode.IsPrint(r):
			flush()
			if len(dst) < limit {
				dst = append(dst, string(r))
			}
		default:
			flush()
		}
	}
	if len(dst) < limit {
		flush()
	}
	return dst
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"Hello, World", "it’s --x-- 'a'", "e\u0301cole ÉCOLE", "❤️\u200d🔥x", "\xffab\xfeCD", "a\uFE0Fb", "ǅ ß İ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, limit := range []int{3, MaxClassifiedTokens} {
			got, want := tokenize(s, nil, limit), tokenizeSimple(s, limit)
			if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
				t.Fatalf("tokenize(%q, %d) = %q, want %q", s, limit, got, want)
			}
		}
	})
}
