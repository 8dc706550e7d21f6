package fakenet

import (
	"cmp"
	"context"
	"hash/fnv"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow/networks"
)

// DefaultInboxPageSize is the most items one Incoming call lists unless
// Options.InboxPageSize says otherwise.
const DefaultInboxPageSize = 20

// Traffic is random incoming traffic: every connected account receives
// items as a Poisson process of PerHour items an hour in the network's time
// (Options.Now, or the synctest bubble's clock), drawn from Seed and the
// account's ID alone, so the same seed gives the same items whatever the
// polling cadence. Replies and quotes answer the account's live posts and
// replies (a mention when it has none); mentions start a conversation of
// their own; messages belong to one direct conversation per author.
//
// Like real networks, the fake then misbehaves on purpose: an item becomes
// listable up to Delay after the time it carries (so At is out of order in
// the listing), a page is listed in shuffled order with probability
// Disorder, and repeats an item listed before with probability Duplicates.
// With probability Hostile an item's text is hostile: 100 KB, invalid
// UTF-8, markup and script, or control and bidirectional-override
// characters.
type Traffic struct {
	// PerHour is the mean rate; a negative or not-finite one is 0 (no
	// traffic). The probabilities are clamped to [0, 1].
	PerHour float64
	// Rates overrides PerHour for the accounts it names (clamped the same
	// way), so one busy account and many quiet ones share a network.
	Rates map[string]float64
	// Kinds weights the kinds drawn; nil: replies 5, mentions 3,
	// messages 2, quotes 1.
	Kinds map[networks.ItemKind]int
	// Authors are the handles items come from (without "@"); nil: eight
	// names.
	Authors    []string
	Delay      time.Duration
	Disorder   float64
	Duplicates float64
	Hostile    float64
}

// Arrival is one incoming item a test scripts with [Net.Arrive]: "at At,
// @From replies to post To".
type Arrival struct {
	Account string            // the connected account it arrives for (required)
	Kind    networks.ItemKind // required
	From    string            // the author's handle, without "@" (required)
	// To is the account's post or an item of its inbox the item answers:
	// required for replies and quotes, optional for mentions and
	// messages (a message answering an item joins its conversation).
	To   networks.RemoteID
	Text string
	// At is when the author posted it; zero: now. The item is listed from
	// At + Delay on.
	At    time.Time
	Delay time.Duration
}

// item is one incoming item the network holds.
type item struct {
	in      networks.Incoming
	visible time.Time // listable from then on
	order   int       // per-account creation index, for a stable listing order
	seq     int       // listing position; 0 until visible
}

// gen is one account's random traffic.
type gen struct {
	rng     *rand.Rand
	next    time.Time
	perHour float64
}

// inbox is the network's incoming side; Net.mu guards it.
type inbox struct {
	traffic  *Traffic
	pageSize int
	rng      *rand.Rand // page disorder and duplicates
	items    []*item    // creation order
	byID     map[networks.RemoteID]*item
	listed   int                // items listed so far (the last seq)
	byAcct   map[string][]*item // each account's listed items, in seq order
	pending  []*item            // not yet visible
	gens     map[string]*gen
	created  map[string]int // items per account
	kinds    []networks.ItemKind
	weights  []int
	authors  []string
	listings int
}

func newInbox(o Options) inbox {
	in := inbox{
		traffic: o.Traffic, pageSize: o.InboxPageSize,
		rng:  rand.New(rand.NewPCG(o.Seed^0x51ed270b27a4d1f5, o.Seed+1)),
		byID: map[networks.RemoteID]*item{}, gens: map[string]*gen{}, created: map[string]int{}, byAcct: map[string][]*item{},
	}
	if in.pageSize <= 0 {
		in.pageSize = DefaultInboxPageSize
	}
	if t := o.Traffic; t != nil {
		c := *t // clamped like Options.FaultRate
		c.PerHour = rate(c.PerHour)
		c.Rates = make(map[string]float64, len(t.Rates))
		for k, v := range t.Rates {
			c.Rates[k] = rate(v)
		}
		for _, p := range []*float64{&c.Disorder, &c.Duplicates, &c.Hostile} {
			if math.IsNaN(*p) {
				*p = 0
			}
			*p = min(max(*p, 0), 1)
		}
		c.Delay = max(c.Delay, 0)
		in.traffic = &c
		kw := t.Kinds
		if kw == nil {
			kw = map[networks.ItemKind]int{networks.ItemReply: 5, networks.ItemMention: 3, networks.ItemMessage: 2, networks.ItemQuote: 1}
		}
		for _, k := range []networks.ItemKind{networks.ItemReply, networks.ItemMention, networks.ItemQuote, networks.ItemMessage} {
			if w := kw[k]; w > 0 {
				in.kinds, in.weights = append(in.kinds, k), append(in.weights, w)
			}
		}
		in.authors = t.Authors
		if len(in.authors) == 0 {
			in.authors = []string{"alice", "bob", "chen", "dana", "emeka", "farah", "gus", "hana"}
		}
	}
	return in
}

// rate is r, or 0 when it is negative or not finite.
func rate(r float64) float64 {
	if math.IsNaN(r) || math.IsInf(r, 0) || r < 0 {
		return 0
	}
	return r
}

// perHour is account id's rate.
func (t *Traffic) perHour(id string) float64 {
	if r, ok := t.Rates[id]; ok {
		return r
	}
	return t.PerHour
}

// register records a connected account and starts its random traffic at
// now; n.mu is held.
func (n *Net) register(id string) {
	n.accounts[id] = true
	if t := n.inbox.traffic; t != nil && t.perHour(id) > 0 && len(n.inbox.kinds) > 0 && n.inbox.gens[id] == nil {
		h := fnv.New64a()
		h.Write([]byte(id))
		g := &gen{rng: rand.New(rand.NewPCG(n.o.Seed, h.Sum64())), perHour: t.perHour(id)}
		g.next = n.now().Add(g.gap())
		n.inbox.gens[id] = g
	}
}

// gap draws the wait until the next item of a Poisson process of
// g.perHour.
func (g *gen) gap() time.Duration {
	return time.Duration(g.rng.ExpFloat64() / g.perHour * float64(time.Hour))
}

// Arrive scripts one incoming item and returns it as the account's inbox
// will list it. A missing field, an unknown account or kind, or a To that
// is neither a post of the account nor an item of its inbox is a
// *networks.FieldError naming the field; nothing arrives then.
func (n *Net) Arrive(a Arrival) (networks.Incoming, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	now := n.now()
	n.advance(now)
	bad := func(field, value, reason string) error {
		return &networks.FieldError{Network: n.spec.Network, Field: "arrival." + field, Value: value, Reason: reason}
	}
	switch {
	case a.Account == "":
		return networks.Incoming{}, bad("account", "", "required")
	case !n.accounts[a.Account]:
		return networks.Incoming{}, bad("account", a.Account, "not a connected account")
	case a.From == "":
		return networks.Incoming{}, bad("from", "", "required: the author's handle")
	case a.Delay < 0:
		return networks.Incoming{}, bad("delay", a.Delay.String(), "must not be negative")
	}
	switch a.Kind {
	case networks.ItemReply, networks.ItemQuote:
		if a.To == "" {
			return networks.Incoming{}, bad("to", "", "required for a "+string(a.Kind))
		}
	case networks.ItemMention, networks.ItemMessage:
	default:
		return networks.Incoming{}, bad("kind", string(a.Kind), "not reply, mention, quote or message")
	}
	thread := ""
	if a.To != "" {
		var ok bool
		if thread, ok = n.threadOf(a.Account, a.To); !ok {
			return networks.Incoming{}, bad("to", string(a.To), "neither a post of the account nor an item of its inbox")
		}
	}
	at := a.At
	if at.IsZero() {
		at = now
	}
	it := n.addItem(a.Account, a.Kind, a.From, a.To, thread, a.Text, at, at.Add(a.Delay))
	n.advance(now)
	return it.in, nil
}

// threadOf returns the conversation of to when it is a post of account or
// an item of its inbox; n.mu is held.
func (n *Net) threadOf(account string, to networks.RemoteID) (string, bool) {
	if p, ok := n.byID[to]; ok && !p.Deleted && p.AccountID == account {
		return p.Thread, true
	}
	if it, ok := n.inbox.byID[to]; ok && it.in.AccountID == account && it.seq > 0 {
		return it.in.Thread, true
	}
	return "", false
}

// addItem creates an item; n.mu is held.
func (n *Net) addItem(account string, kind networks.ItemKind, from string, to networks.RemoteID, thread, text string, at, visible time.Time) *item {
	in := &n.inbox
	in.created[account]++
	k := in.created[account]
	id := networks.RemoteID("in-" + account + "-" + strconv.Itoa(k))
	switch {
	case kind == networks.ItemMessage && thread == "":
		thread = "dm:" + account + ":" + from
	case kind == networks.ItemQuote, thread == "":
		thread = string(id) // a quote or a mention starts a conversation
	}
	it := &item{order: k, visible: visible, in: networks.Incoming{
		Network: n.spec.Network, AccountID: account, ID: id, Kind: kind,
		Author: networks.Author{ID: "fake-user-" + from, Handle: "@" + from, Name: from},
		Text:   text, URL: "https://fakenet.invalid/" + from + "/" + string(id), At: at.Round(0), // a wall time, as a network sends it
		InReplyTo: to, Thread: thread,
	}}
	in.items = append(in.items, it)
	in.byID[id] = it
	in.pending = append(in.pending, it)
	return it
}

// advance generates the random traffic due by now and makes visible what
// is; n.mu is held.
func (n *Net) advance(now time.Time) {
	in := &n.inbox
	if t := in.traffic; t != nil && len(in.gens) > 0 {
		for _, acct := range slices.Sorted(maps.Keys(in.gens)) {
			g := in.gens[acct]
			for !g.next.After(now) {
				n.randomItem(acct, g, t)
				g.next = g.next.Add(max(g.gap(), time.Nanosecond))
			}
		}
	}
	var due []*item
	in.pending = slices.DeleteFunc(in.pending, func(it *item) bool {
		if it.visible.After(now) {
			return false
		}
		due = append(due, it)
		return true
	})
	slices.SortFunc(due, func(a, b *item) int {
		return cmp.Or(a.visible.Compare(b.visible), cmp.Compare(a.in.AccountID, b.in.AccountID), cmp.Compare(a.order, b.order))
	})
	for _, it := range due {
		in.listed++
		it.seq = in.listed
		in.byAcct[it.in.AccountID] = append(in.byAcct[it.in.AccountID], it)
	}
}

// randomItem draws one item of acct's traffic at g.next; n.mu is held.
func (n *Net) randomItem(acct string, g *gen, t *Traffic) {
	in := &n.inbox
	at := g.next
	total := 0
	for _, w := range in.weights {
		total += w
	}
	x := g.rng.IntN(total)
	kind := in.kinds[len(in.kinds)-1]
	for i, w := range in.weights {
		if x < w {
			kind = in.kinds[i]
			break
		}
		x -= w
	}
	from := in.authors[g.rng.IntN(len(in.authors))]
	var to networks.RemoteID
	thread := ""
	if kind == networks.ItemReply || kind == networks.ItemQuote {
		var live []*Post
		for i := len(n.posts) - 1; i >= 0 && len(live) < 20; i-- {
			if p := n.posts[i]; p.AccountID == acct && !p.Deleted && !p.At.After(at) {
				live = append(live, p)
			}
		}
		if len(live) == 0 {
			kind = networks.ItemMention
		} else {
			p := live[g.rng.IntN(len(live))]
			to, thread = p.ID, p.Thread
		}
	}
	text := randomText(g.rng, kind, acct, t.Hostile)
	var delay time.Duration
	if t.Delay > 0 {
		delay = time.Duration(g.rng.Int64N(int64(t.Delay) + 1))
	}
	n.addItem(acct, kind, from, to, thread, text, at, at.Add(delay))
}

var phrases = []string{
	"love this!", "when does the shop open?", "this is wrong, please fix it", "thanks for sharing",
	"terrible service today", "can you DM me the details?", "great news 🎉", "is this still available?",
}

// randomText is an item's text: a phrase, or with probability hostile one
// of the hostile texts.
func randomText(rng *rand.Rand, kind networks.ItemKind, acct string, hostile float64) string {
	if hostile > 0 && rng.Float64() < hostile {
		return HostileTexts[rng.IntN(len(HostileTexts))]
	}
	p := phrases[rng.IntN(len(phrases))]
	if kind == networks.ItemMention {
		return "@" + acct + " " + p
	}
	return p
}

// HostileTexts are the texts [Traffic].Hostile draws from: 100 KB of
// text, invalid UTF-8, markup and script, and control and
// bidirectional-override characters. Receivers must store them as they are
// and escape them where they render them.
var HostileTexts = []string{
	strings.Repeat("spam ", 20_000),
	"broken \xff\xfe bytes \xc3\x28 and a lone surrogate \xed\xa0\x80",
	`<script>alert(1)</script><img src=x onerror="alert(2)"> **bold** [click](javascript:alert(3)) {{.Secret}} ${jndi:ldap://x}`,
	"nul\x00 escape\x1b[31m red\x1b[0m \u202eexe.gnp\u202c bell\a cr\r\nzero\u200bwidth \ufeff",
}

// incoming lists the items of acct's inbox listed after cursor (empty:
// from the first), at most the page size, in listing order except when
// Traffic shuffles them, with the duplicates Traffic adds. The cursor is
// the listing position of the page's last item ("c" and a number); a
// malformed one is a *networks.FieldError.
func (n *Net) incoming(ctx context.Context, acct networks.Account, cursor string) (networks.IncomingPage, error) {
	f, err := n.begin(ctx, networks.OpIncoming, acct, "")
	if err != nil {
		return networks.IncomingPage{}, err
	}
	if f.Kind == KindLostResponse {
		f.Kind = KindServerError // a read has no effect to lose
	}
	if err := n.failure(ctx, networks.OpIncoming, acct, "", f); err != nil {
		return networks.IncomingPage{}, err
	}
	after := 0
	if cursor != "" {
		v, ok := strings.CutPrefix(cursor, "c")
		x, err := strconv.Atoi(v)
		if !ok || err != nil || x < 0 {
			return networks.IncomingPage{}, &networks.FieldError{Network: n.spec.Network, Field: "cursor", Value: cursor, Reason: "not a cursor of this network"}
		}
		after = x
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.advance(n.now())
	in := &n.inbox
	in.listings++
	var page []networks.Incoming
	last, more := after, false
	mine := in.byAcct[acct.ID]
	start, _ := slices.BinarySearchFunc(mine, after+1, func(it *item, seq int) int { return cmp.Compare(it.seq, seq) })
	before := mine[:start]
	for _, it := range mine[start:] {
		if len(page) == in.pageSize {
			more = true
			break
		}
		page = append(page, it.in)
		last = it.seq
	}
	if t := in.traffic; t != nil {
		if len(before) > 0 && t.Duplicates > 0 && in.rng.Float64() < t.Duplicates {
			page = append(page, before[in.rng.IntN(len(before))].in)
		}
		if len(page) > 1 && t.Disorder > 0 && in.rng.Float64() < t.Disorder {
			in.rng.Shuffle(len(page), func(i, j int) { page[i], page[j] = page[j], page[i] })
		}
	}
	return networks.IncomingPage{Items: page, Cursor: "c" + strconv.Itoa(last), More: more}, nil
}

// Items returns every item that has arrived for account by now (listable,
// each once), in listing order.
func (n *Net) Items(account string) []networks.Incoming {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.advance(n.now())
	var out []networks.Incoming
	for _, it := range n.inbox.byAcct[account] {
		out = append(out, it.in)
	}
	return out
}

// Replies returns the replies published under the item or post to, deleted
// ones included, in the order they were accepted: who replied to what, and
// how many times (more than one reply with the same marker is a reply
// published twice).
func (n *Net) Replies(to networks.RemoteID) []Post {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]Post, 0, len(n.repliesTo[to]))
	for _, p := range n.repliesTo[to] {
		out = append(out, *p)
	}
	return out
}

// Listings returns how many Incoming calls the network answered.
func (n *Net) Listings() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.inbox.listings
}

func (n *Net) reply(ctx context.Context, acct networks.Account, to networks.Incoming, d networks.Draft) (networks.Receipt, error) {
	if to.ID == "" {
		return networks.Receipt{}, &networks.FieldError{Network: n.spec.Network, Field: "to.id", Reason: "required"}
	}
	return n.write(ctx, networks.OpReply, acct, d, to.ID)
}
