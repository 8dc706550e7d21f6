package workflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/workflow/team"
)

// Connector gives the Dispatcher what it needs to publish to a channel: the
// Publisher of the channel's network (shared by every channel of that
// network, so rate limits are shared) and the channel's account. A missing
// connection is an error matching socialflow.ErrNotFound; it must be safe for
// concurrent use.
type Connector interface {
	Connect(ctx context.Context, ch team.Channel) (*networks.Publisher, networks.Account, error)
}

// MediaResolver turns a post's media reference into what a network needs:
// probed metadata, alt text, and the bytes or a public URL.
type MediaResolver func(ctx context.Context, ch team.Channel, ref MediaRef) (networks.MediaItem, error)

// Dispatcher publishes what is due. Each step ([Dispatcher.RunOnce]):
//
//  1. reads the targets due at now from the [DueIndex] ([Target.NextAction]),
//     a page at a time, without scanning the posts;
//  2. claims each due target with a lease in the Store (so several
//     dispatchers — one per host replica — share the work, and a target is
//     worked on by one at a time). Over a Store that is a [Claimer], steps
//     1 and 2 are one ClaimDue per batch, which returns the posts too;
//  3. re-checks, at publish time, that the post is still scheduled, its
//     approval still allows publishing and its assets are usable;
//  4. records the intent — the target is publishing, with a stable
//     idempotency marker — fenced by the lease, before calling the network;
//  5. renews the lease (when more than a tenth of it is spent) and
//     publishes through the channel's [networks.Publisher] (rate limits,
//     retries, token refresh), the call bounded by the lease actually left
//     when it starts (less a tenth of the TTL to record the outcome), so
//     slow work before the call never lets it outlive the lease;
//  6. records the outcome, fenced by the lease: a worker that lost its lease
//     cannot record anything. [ClassifyPublish] decides what a result
//     means, by the error's kind before any context error it carries.
//
// Crash safety: a target found in publishing (its dispatcher stopped or
// crashed after step 4) or unconfirmed (the network's response was lost) is
// never published blindly again. The Dispatcher looks it up by its marker
// ([networks.Publisher.Find]): found means published; a definite "not
// found" means it is safe to publish again with the same marker; an adapter
// that cannot look posts up leaves the target unconfirmed and notifies a
// person ([NoticeUnconfirmed]), who resolves it with
// [Service.ResolveUnconfirmed]. A target is never parked without that
// notice: lookups that keep failing park it, with the notice, after
// MaxAttempts.
//
// Retriable failures (transient errors that outlived the Publisher's own
// retries, and calls stopped before anything was sent) are rescheduled
// with a growing delay, never earlier than the network's Retry-After or
// reset, up to MaxAttempts. A rate limit is a wait for quota, not a
// failure: the target is tried again when the quota allows, without
// spending an attempt, for as long as it would not go out more than
// MaxLateness after its slot ([WithMaxLateness]). Permanent failures
// (rejected, invalid, reauthorization needed) fail the target with its
// cause. Asynchronous publishes (a pending receipt) are checked again until
// they resolve, each check under the lease as a publish is (renewed, the
// call bounded by it): a network's check may be the write that makes the
// post.
//
// Set-up mistakes (a channel without a connection, an account without a
// token source, a network without a Publisher) are listed all at once by
// [Dispatcher.CheckWiring], which hosts call at start-up and the Dispatcher
// runs before its first step.
//
// Create one with [NewDispatcher]; it is safe for concurrent use, and
// several Dispatchers may share one Store.
type Dispatcher struct {
	svc      *Service
	conn     Connector
	media    MediaResolver
	holder   string
	ttl      time.Duration
	maxTries int
	maxLate  time.Duration
	retry    func(attempt int) time.Duration
	interval time.Duration
	workers  int
	batch    int
	log      *slog.Logger
	wired    sync.Once // CheckWiring before the first step
}

// DispatcherOption configures a [Dispatcher].
type DispatcherOption func(*Dispatcher) error

// WithHolder names this dispatcher in leases and in the audit trail
// (default "dispatcher-" and random hex). Dispatchers sharing a store must
// have distinct names.
func WithHolder(name string) DispatcherOption {
	return func(d *Dispatcher) error {
		if name == "" {
			return &ValidationError{Field: "holder", Reason: "must not be empty"}
		}
		d.holder = name
		return nil
	}
}

// WithLeaseTTL sets how long a claim lasts (default 2 minutes). It should
// exceed the longest publish, retries included (the Publisher's
// MaxElapsedTime): the lease is renewed for a full TTL when the network
// call starts and the call is bounded by it (less a tenth of the TTL for
// recording the outcome), so a worker that stalls gives the target up
// before another dispatcher may take it over (and that one reconciles by
// marker).
func WithLeaseTTL(ttl time.Duration) DispatcherOption {
	return func(d *Dispatcher) error {
		if ttl <= 0 {
			return &ValidationError{Field: "lease ttl", Value: ttl.String(), Reason: "must be positive"}
		}
		d.ttl = ttl
		return nil
	}
}

// WithMaxAttempts sets how many times a target is tried over retriable
// failures before it fails (default 5). Waiting for a network's quota (a
// rate limit: socialflow.ErrRateLimited) is not an attempt, since the
// network refused nothing; [WithMaxLateness] bounds those waits instead.
func WithMaxAttempts(n int) DispatcherOption {
	return func(d *Dispatcher) error {
		if n < 1 {
			return &ValidationError{Field: "max attempts", Value: fmt.Sprint(n), Reason: "must be at least 1"}
		}
		d.maxTries = n
		return nil
	}
}

// WithMaxLateness bounds how late a target waiting for a network's quota
// may go out (default 7 days: quotas are at most daily, so a backlog of
// several days drains, and a post later than that is stale). A publish or
// a lookup that ends in a rate limit (socialflow.ErrRateLimited: the
// network's, or the Publisher's own limiter whose window is full) spends no
// attempt: the target keeps its state and round and is tried again no
// earlier than the network's Retry-After or reset, so it only grows late.
// When that next try would be more than d after the target's slot
// ([Target.At]), the wait ends: a scheduled target fails ("still rate
// limited ... after its slot", with a [NoticePublishFailed]), and an
// unconfirmed one whose lookups are rate limited is parked for a person
// ([NoticeUnconfirmed]) instead of being published blindly.
func WithMaxLateness(d time.Duration) DispatcherOption {
	return func(disp *Dispatcher) error {
		if d <= 0 {
			return &ValidationError{Field: "max lateness", Value: d.String(), Reason: "must be positive"}
		}
		disp.maxLate = d
		return nil
	}
}

// WithMedia sets how media references become network media (default: a
// reference cannot be resolved, so posts with media fail).
func WithMedia(r MediaResolver) DispatcherOption {
	return func(d *Dispatcher) error { d.media = r; return nil }
}

// WithInterval sets how often [Dispatcher.Run] steps (default 15 s).
func WithInterval(i time.Duration) DispatcherOption {
	return func(d *Dispatcher) error {
		if i <= 0 {
			return &ValidationError{Field: "interval", Value: i.String(), Reason: "must be positive"}
		}
		d.interval = i
		return nil
	}
}

// WithConcurrency sets how many targets one step works on at once (default
// 8). Targets of one post are independent; the Publisher's rate limits still
// apply across all of them.
func WithConcurrency(n int) DispatcherOption {
	return func(d *Dispatcher) error {
		if n < 1 {
			return &ValidationError{Field: "concurrency", Value: fmt.Sprint(n), Reason: "must be at least 1"}
		}
		d.workers = n
		return nil
	}
}

// WithBatchSize sets how many due targets a step reads from the
// [DueIndex] at a time (default 256): a step works on one page, then reads
// the next, until nothing due at its instant is left. Over a [Claimer] a
// step claims at most four targets per worker ([WithConcurrency]) at a
// time, so a claimed lease does not run out while its target waits.
func WithBatchSize(n int) DispatcherOption {
	return func(d *Dispatcher) error {
		if n < 1 {
			return &ValidationError{Field: "batch size", Value: fmt.Sprint(n), Reason: "must be at least 1"}
		}
		d.batch = n
		return nil
	}
}

// NewDispatcher returns a Dispatcher publishing svc's posts through conn.
func NewDispatcher(svc *Service, conn Connector, opts ...DispatcherOption) (*Dispatcher, error) {
	if svc == nil || conn == nil {
		return nil, &ValidationError{Field: "dispatcher", Reason: "service and connector are required"}
	}
	d := &Dispatcher{
		svc: svc, conn: conn, holder: "dispatcher-" + randomID(), ttl: 2 * time.Minute, maxTries: 5, maxLate: 7 * 24 * time.Hour, interval: 15 * time.Second, workers: 8, batch: dueBatch,
		retry: func(n int) time.Duration { return min(time.Minute<<min(n, 10), time.Hour) },
		log:   svc.log,
	}
	for _, o := range opts {
		if err := o(d); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Report counts what one [Dispatcher.RunOnce] did.
type Report struct {
	Due         int // due targets seen
	Claimed     int // targets this dispatcher worked on
	Skipped     int // claimed by another dispatcher, or no longer due
	Held        int // due but held by a pause or a blackout (see Service.PauseWorkspace)
	Published   int
	Awaiting    int // accepted, still processing on the network
	Rescheduled int // retriable failures, tried again later
	Failed      int
	Unconfirmed int
	Reconciled  int // unknown outcomes resolved by looking the post up
	Manual      int
	Deadlines   DeadlineReport // approval deadlines applied in this step
}

// Run steps until ctx ends and returns ctx's error. After each step it
// sleeps until the next target falls due, or for the interval (default
// 15 s) when nothing is due sooner — or when the targets due are all held
// by another dispatcher's leases — so posts go out on time without polling
// hard. A step's error is logged, not fatal.
func (d *Dispatcher) Run(ctx context.Context) error {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		now := d.svc.now()
		r, err := d.RunOnce(ctx, now)
		if err != nil && ctx.Err() == nil {
			d.log.ErrorContext(ctx, "dispatch step failed", "err", err)
		}
		wait := d.nextWake(ctx, d.svc.now())
		if wait == 0 && r.Claimed == 0 {
			// Targets are due, but this step could work none of them:
			// another dispatcher holds their leases. Stepping again at once
			// would spin until those leases end; wait the interval.
			wait = d.interval
		}
		t.Reset(wait)
	}
}

// nextWake returns how long to sleep until the next due target, at most the
// interval: one read of the first entry of the [DueIndex].
func (d *Dispatcher) nextWake(ctx context.Context, now time.Time) time.Duration {
	wait := d.interval
	first, err := d.svc.store.DueTargets(ctx, DueQuery{Before: now.Add(d.interval), Limit: 1})
	if err != nil || len(first) == 0 {
		return wait
	}
	return min(wait, max(first[0].At.Sub(now), 0))
}

// RunOnce applies approval deadlines ([Service.CheckDeadlines]), then works
// on every target due at now, and returns what it did. It
// stops early, leaving the rest for the next step, when ctx ends; a target
// interrupted mid-publish is reconciled by a later step (see the type
// documentation).
//
// The first step first runs [Dispatcher.CheckWiring] (for the channels of
// the posts it has to publish) and logs every problem it finds; the step
// still runs, so channels that are wired publish, and its *WiringError is
// returned with the step's result (errors.Join), once.
func (d *Dispatcher) RunOnce(ctx context.Context, now time.Time) (Report, error) {
	var wiring error
	d.wired.Do(func() {
		if wiring = d.CheckWiring(ctx); wiring != nil {
			d.log.ErrorContext(ctx, "dispatcher wiring", "err", wiring)
		}
	})
	r, err := d.step(ctx, now)
	return r, errors.Join(err, wiring)
}

// step is one RunOnce without the wiring check.
func (d *Dispatcher) step(ctx context.Context, now time.Time) (Report, error) {
	var r Report
	dl, err := d.svc.CheckDeadlines(ctx, now)
	if err != nil {
		return r, err
	}
	r.Deadlines = dl
	if c, ok := d.svc.store.(Claimer); ok {
		return r, d.claimStep(ctx, c, now, &r)
	}
	// Page through the due index: each page is worked on to the end before
	// the next is read, so no two workers race for one post. A target is
	// worked on once per step even when its work makes it due again at
	// now (a reconcile left for the next step).
	seen := map[DueEntry]bool{}
	q := DueQuery{Before: now, Limit: d.batch}
	for ctx.Err() == nil {
		page, err := d.svc.store.DueTargets(ctx, q)
		if err != nil {
			return r, err
		}
		var fresh []DueEntry
		for _, e := range page {
			k := DueEntry{Post: e.Post, Channel: e.Channel}
			if !seen[k] {
				seen[k] = true
				fresh = append(fresh, e)
			}
		}
		r.Due += len(fresh)
		d.work(ctx, fresh, now, &r)
		if len(page) < d.batch {
			break
		}
		q.After = page[len(page)-1]
	}
	return r, ctx.Err()
}

// claimStep is a step's work over a store that claims in batches
// ([Claimer]): it claims up to claimSize due targets at a time, works on
// them, and claims again until nothing due at now is left. Each batch's
// leases last a full TTL from the Service's clock when it is claimed (as
// [Dispatcher.target] acquires them), not from now. A target that
// is due again at now after its work (a reconcile left for the next step)
// is claimed again but not worked on twice: its lease is kept until the
// step ends, so the claims that follow pass it by.
func (d *Dispatcher) claimStep(ctx context.Context, c Claimer, now time.Time, r *Report) error {
	seen := map[DueEntry]bool{}
	var kept []Lease
	defer func() {
		for _, l := range kept {
			_ = d.svc.store.Release(context.WithoutCancel(ctx), l)
		}
	}()
	size := d.claimSize()
	for ctx.Err() == nil {
		// Each batch's leases last a full TTL from the clock: a lease
		// granted from the step's start instant after earlier batches
		// took a while would be spent, or already expired, when it is
		// granted, and its target's work could neither be fenced nor
		// recorded. What is due is still what was due at now, so
		// targets the step's own work made due again wait for the next
		// step (their leases are not held by this one meanwhile).
		ttl := d.ttl
		if c := d.svc.now(); c.After(now) {
			ttl += c.Sub(now)
		}
		claims, err := c.ClaimDue(ctx, d.holder, now, ttl, size)
		if err != nil {
			return err
		}
		var fresh []DueClaim
		for _, cl := range claims {
			k := DueEntry{Post: cl.Entry.Post, Channel: cl.Entry.Channel}
			if seen[k] {
				kept = append(kept, cl.Lease)
				continue
			}
			seen[k] = true
			fresh = append(fresh, cl)
		}
		r.Due += len(fresh)
		jobs := make([]job, 0, len(fresh))
		at := map[string]int{}
		for _, cl := range fresh {
			i, ok := at[cl.Entry.Post]
			if !ok {
				i = len(jobs)
				at[cl.Entry.Post] = i
				jobs = append(jobs, job{post: cl.Entry.Post})
			}
			jobs[i].claims = append(jobs[i].claims, cl)
		}
		d.run(ctx, jobs, now, r)
		if len(claims) < size || len(fresh) == 0 {
			break
		}
	}
	return ctx.Err()
}

// claimSize is how many targets a step claims at once: the batch size,
// but no more than the step's workers start soon (four each), so a claimed
// lease does not run out while its target waits for a worker.
func (d *Dispatcher) claimSize() int { return min(d.batch, 4*d.workers) }

// job is the due work on one post that one worker does in order: the
// channels to acquire and work on, or the targets already claimed.
type job struct {
	post     string
	channels []string
	claims   []DueClaim
}

// work works on one page of due targets with the step's workers: one job
// per post, whose due targets one worker takes in order, so they do not
// race each other for the post record.
func (d *Dispatcher) work(ctx context.Context, due []DueEntry, now time.Time, r *Report) {
	var jobs []job
	at := map[string]int{}
	for _, e := range due {
		i, ok := at[e.Post]
		if !ok {
			i = len(jobs)
			at[e.Post] = i
			jobs = append(jobs, job{post: e.Post})
		}
		jobs[i].channels = append(jobs[i].channels, e.Channel)
	}
	d.run(ctx, jobs, now, r)
}

// run works on jobs with the step's workers.
func (d *Dispatcher) run(ctx context.Context, jobs []job, now time.Time, r *Report) {
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		next = make(chan job)
	)
	for range min(d.workers, len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				var jr Report
				for _, ch := range j.channels {
					if ctx.Err() != nil {
						break
					}
					err := d.target(ctx, j.post, ch, now, &jr)
					if err != nil && ctx.Err() == nil {
						d.log.WarnContext(ctx, "dispatch target", "post", j.post, "channel", ch, "err", err)
					}
				}
				for i, c := range j.claims {
					if ctx.Err() != nil {
						// Not worked on: give the leases back at once.
						for _, c := range j.claims[i:] {
							_ = d.svc.store.Release(context.WithoutCancel(ctx), c.Lease)
						}
						break
					}
					p := c.Post
					if i > 0 {
						// An earlier target of this job wrote the post:
						// work on from the stored one.
						fresh, err := d.svc.store.GetPost(ctx, j.post)
						if err != nil {
							_ = d.svc.store.Release(context.WithoutCancel(ctx), c.Lease)
							d.log.WarnContext(ctx, "dispatch target", "post", j.post, "channel", c.Entry.Channel, "err", err)
							continue
						}
						p = fresh
					}
					err := d.claimed(ctx, c.Lease, p, c.Entry.Channel, now, &jr)
					if err != nil && ctx.Err() == nil {
						d.log.WarnContext(ctx, "dispatch target", "post", j.post, "channel", c.Entry.Channel, "err", err)
					}
				}
				mu.Lock()
				r.add(jr)
				mu.Unlock()
			}
		}()
	}
	fed := 0
feed:
	for _, j := range jobs {
		select {
		case next <- j:
			fed++
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	// Claimed targets no worker took: give their leases back at once.
	for _, j := range jobs[fed:] {
		for _, c := range j.claims {
			_ = d.svc.store.Release(context.WithoutCancel(ctx), c.Lease)
		}
	}
	wg.Wait()
}

func (r *Report) add(o Report) {
	r.Claimed += o.Claimed
	r.Skipped += o.Skipped
	r.Held += o.Held
	r.Published += o.Published
	r.Awaiting += o.Awaiting
	r.Rescheduled += o.Rescheduled
	r.Failed += o.Failed
	r.Unconfirmed += o.Unconfirmed
	r.Reconciled += o.Reconciled
	r.Manual += o.Manual
}

// target acquires the lease of one due target and works on it.
func (d *Dispatcher) target(ctx context.Context, postID, channel string, now time.Time, r *Report) error {
	// Targets are worked on one after another: take the clock again so a
	// lease acquired late in a step is not already half spent.
	if c := d.svc.now(); c.After(now) {
		now = c
	}
	lease, err := d.svc.store.Acquire(ctx, TargetKey(postID, channel), d.holder, now, d.ttl)
	if errors.Is(err, socialflow.ErrConflict) {
		r.Skipped++
		return nil
	}
	if err != nil {
		return err
	}
	p, err := d.svc.store.GetPost(ctx, postID)
	if err != nil {
		_ = d.svc.store.Release(context.WithoutCancel(ctx), lease)
		return err
	}
	return d.claimed(ctx, lease, p, channel, now, r)
}

// claimed works on one due target of p under lease, then gives the lease
// up — unless the target is published and not due again before the lease
// expires: nothing but the dispatcher makes a published target due again,
// so letting that lease run out costs nothing and saves a write.
func (d *Dispatcher) claimed(ctx context.Context, lease Lease, p Post, channel string, now time.Time, r *Report) error {
	if c := d.svc.now(); c.After(now) {
		now = c
	}
	w := &work{d: d, lease: lease, post: p, channel: channel, now: now, r: r}
	defer func() {
		if t := w.post.Target(channel); t != nil && t.State == TargetPublished && w.stored {
			if at, ok := t.NextAction(); !ok || !at.Before(w.lease.Expires) {
				return
			}
		}
		_ = d.svc.store.Release(context.WithoutCancel(ctx), w.lease)
	}()
	t := p.Target(channel)
	if t == nil {
		r.Skipped++
		return nil
	}
	if at, ok := t.NextAction(); !ok || at.After(now) {
		r.Skipped++ // another dispatcher finished it meanwhile
		return nil
	}
	r.Claimed++
	w.base = *t
	ch, _ := d.svc.team.Channel(channel)
	pub, acct, err := d.conn.Connect(ctx, ch)
	if err != nil {
		return w.finish(ctx, outcome{state: TargetFailed, cause: "no connection: " + err.Error()})
	}
	w.pub, w.acct, w.ch = pub, acct, ch
	switch t.State {
	case TargetScheduled:
		// Re-check at the slot: an emergency pause or a blackout added
		// after scheduling holds the target (it keeps its slot).
		if err := w.hold(ctx); err != nil {
			var h *HoldError
			if !errors.As(err, &h) {
				return err
			}
			return w.held(ctx, h)
		}
		err = w.publish(ctx)
	case TargetPublishing, TargetUnconfirmed:
		err = w.reconcile(ctx)
	case TargetAwaiting:
		err = w.check(ctx)
	}
	// A target that left the plan (published, failed, cancelled) releases
	// its booking, queue position and asset usages.
	d.svc.releaseKnown(ctx, w.post, w.knownPlan())
	return err
}

// hold re-checks pauses and blackouts at the slot ([Service.hold]) and
// keeps the channel's plan it read for the rest of the work.
func (w *work) hold(ctx context.Context) error {
	pl, err := w.d.svc.hold(ctx, w.post.Workspace, w.channel, w.now)
	w.plan = pl
	return err
}

// knownPlan is the channel's plan read by hold, for the plan work after
// the outcome (the evergreen return, releasing the booking) to start from
// instead of reading it again; nil when the post had to be merged with a
// concurrent write meanwhile (a person's change may have touched the plan
// too), so that work reads the plan afresh.
func (w *work) knownPlan() *ChannelPlan {
	if w.merged {
		return nil
	}
	return w.plan
}

// held keeps a due target scheduled at its slot without publishing it: it
// is looked at again when the blackout ends, or after the dispatcher's
// interval while a pause lasts.
func (w *work) held(ctx context.Context, h *HoldError) error {
	next := h.Until
	if next.IsZero() {
		next = w.now.Add(w.d.interval)
	}
	w.t().Outcome.NextTry = next
	w.r.Held++
	w.d.log.InfoContext(ctx, "publishing held", "post", w.post.ID, "channel", w.channel, "reason", h.Reason, "until", next)
	return w.save(ctx)
}

// work is one claimed target.
type work struct {
	d       *Dispatcher
	lease   Lease
	post    Post
	channel string
	now     time.Time
	r       *Report
	pub     *networks.Publisher
	acct    networks.Account
	ch      team.Channel
	base    Target       // the target as this worker last read or wrote it
	plan    *ChannelPlan // the channel's plan as read at the slot (hold)
	merged  bool         // a save met a concurrent write and merged into it
	stored  bool         // the last save succeeded: post is what the store holds
}

func (w *work) t() *Target { return w.post.Target(w.channel) }

// slot is the instant the target's lateness is measured from: its slot,
// or now for a target without one.
func (w *work) slot() time.Time {
	if at := w.t().At; !at.IsZero() {
		return at
	}
	return w.now
}

// save writes the post fenced by the lease, with a context that survives
// the caller's cancellation (bookkeeping must not be lost on shutdown). When
// the post changed meanwhile (another target of it, a person's action), it
// reloads the post, puts this target's state into it, and tries again; a
// lost lease is returned as is.
func (w *work) save(ctx context.Context) error {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	for {
		p, err := w.d.svc.store.UpdatePostFenced(sctx, w.post, w.lease, w.now)
		w.stored = err == nil
		if err == nil {
			w.post = p
			w.base = *w.t()
			return nil
		}
		var ce *ConflictError
		if !errors.As(err, &ce) || ce.Kind != ConflictPost {
			return err
		}
		w.merged = true
		fresh, gerr := w.d.svc.store.GetPost(sctx, w.post.ID)
		if gerr != nil {
			return gerr
		}
		// Merge only a change of another target or of bookkeeping: if
		// this target, the content version or the post's lifecycle moved
		// (a person cancelled, edited or unscheduled it), give up.
		ft := fresh.Target(w.channel)
		if ft == nil || ft.State != w.base.State || ft.Outcome.Marker != w.base.Outcome.Marker ||
			fresh.Version != w.post.Version || !dispatchable(fresh.State) {
			return err
		}
		*ft = *w.t()
		settle(&fresh)
		w.post = fresh
	}
}

// dispatchable reports whether a post in state s may have targets published.
func dispatchable(s State) bool {
	switch s {
	case StateScheduled, StatePublishing, StatePartial, StateUnconfirmed:
		return true
	}
	return false
}

// settle derives a publishing post's state from its targets: it stays
// scheduled until a target starts, then follows [Post.outcomeState].
func settle(p *Post) {
	switch p.State {
	case StateScheduled, StatePublishing, StatePartial, StateUnconfirmed:
	default:
		return
	}
	started := slices.ContainsFunc(p.Targets, func(t Target) bool {
		return t.State != TargetScheduled && t.State != TargetPending && t.State != TargetCancelled
	})
	if p.State == StateScheduled && !started {
		return
	}
	p.State = p.outcomeState()
}

func (w *work) marker() string {
	t := w.t()
	return fmt.Sprintf("sf-%s-%s-v%d-r%d", w.post.ID, t.Channel, w.post.Version, t.Outcome.Round)
}

// publish re-checks and publishes a scheduled target.
func (w *work) publish(ctx context.Context) error {
	p := w.post
	if !dispatchable(p.State) {
		return w.finish(ctx, outcome{state: TargetCancelled, cause: "post is " + string(p.State)})
	}
	if err := w.d.svc.publishable(ctx, p, w.now, w.now); err != nil {
		return w.finish(ctx, outcome{state: TargetFailed, cause: err.Error()})
	}
	draft, err := w.draft(ctx)
	if err != nil {
		return w.finish(ctx, outcome{state: TargetFailed, cause: err.Error()})
	}
	// Record the intent before anything is sent, fenced at the time it is
	// written: pre-publish work may have taken a while.
	w.tick()
	t := w.t()
	t.State = TargetPublishing
	t.Outcome.Marker = w.marker()
	t.Outcome.NextTry = w.lease.Expires
	t.Outcome.Cause = ""
	settle(&w.post)
	if err := w.save(ctx); err != nil {
		return err
	}
	draft.Marker = w.t().Outcome.Marker
	// Bound the network call by the lease actually left when it starts:
	// renew it now (so slow pre-publish work does not eat into it), and end
	// the call a record margin before it expires, so the outcome is
	// written under the lease and no other dispatcher can take the target
	// over while the call may still land.
	timeout, err := w.renew(ctx)
	if err != nil {
		return err // the lease is lost: nothing was sent; its new holder reconciles by marker
	}
	pctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	rec, err := w.pub.Publish(pctx, w.acct, draft)
	w.tick()
	if ctx.Err() != nil && err != nil {
		switch ClassifyPublish(rec, err, w.now).Verdict {
		case VerdictNotSent:
			// Stopped before anything was sent: nothing happened; due
			// again now, in the same round.
			t := w.t()
			t.State, t.Outcome.NextTry = TargetScheduled, w.now
			settle(&w.post)
			_ = w.save(ctx)
			return ctx.Err()
		case VerdictReconcile:
			// Stopped mid-publish: leave the target in publishing, due
			// now, so the next step reconciles it by its marker.
			w.t().Outcome.NextTry = w.now
			_ = w.save(ctx)
			return ctx.Err()
		}
	}
	return w.finish(ctx, w.fromPublish(ctx, rec, err))
}

// tick moves the work's clock to the Service's clock when that is later (a
// step may be given a future now; time passes during a step).
func (w *work) tick() {
	if c := w.d.svc.now(); c.After(w.now) {
		w.now = c
	}
}

// renew extends the lease for a full TTL from now and returns how long the
// network call may take: the lease left, less a margin for recording the
// outcome (a tenth of the TTL). A lease of which at most a tenth is spent
// is not renewed (the call still gets at least 80% of the TTL): a claim
// made just before saves the write.
func (w *work) renew(ctx context.Context) (time.Duration, error) {
	w.tick()
	if left := w.lease.Expires.Sub(w.now); left >= w.d.ttl-w.d.ttl/10 {
		return left - w.d.ttl/10, nil
	}
	l, err := w.d.svc.store.Renew(ctx, w.lease, w.now, w.d.ttl)
	if err != nil {
		return 0, err
	}
	w.lease = l
	left := l.Expires.Sub(w.now) - w.d.ttl/10
	if left <= 0 {
		return 0, &ConflictError{Kind: ConflictLease, ID: l.Key, Holder: l.Holder, Current: l.Token}
	}
	return left, nil
}

// draft builds the network draft of the target.
func (w *work) draft(ctx context.Context) (networks.Draft, error) {
	c := w.post.ContentFor(w.channel)
	if len(c.Media) > 0 && w.d.media == nil {
		return networks.Draft{}, &ValidationError{Field: "media", Value: c.Media[0].Asset, Reason: "no media resolver configured"}
	}
	return buildDraft(ctx, w.d.media, w.ch, c, w.pub.Spec())
}

// outcome is what happened to a target.
type outcome struct {
	state     TargetState
	rec       networks.Receipt
	cause     string
	retriable bool
	quota     bool // a wait for the network's quota (rate limited): not an attempt
	reconnect bool
	parked    bool      // unconfirmed, for a person: no next try
	retryAt   time.Time // the earliest next try the network asked for
	notice    NoticeKind
}

// fromPublish turns a publish result into an outcome, by [ClassifyPublish].
func (w *work) fromPublish(ctx context.Context, rec networks.Receipt, err error) outcome {
	d := ClassifyPublish(rec, err, w.now)
	cause := ""
	if err != nil {
		cause = err.Error()
	}
	switch d.Verdict {
	case VerdictAwaiting:
		return outcome{state: TargetAwaiting, rec: rec}
	case VerdictManual:
		return outcome{state: TargetManual, rec: rec, notice: NoticeManualPublish}
	case VerdictPublished:
		return outcome{state: TargetPublished, rec: rec}
	case VerdictReconcile:
		// Looked up by marker on the next step; parked with a notice if
		// nobody can say.
		return outcome{state: TargetUnconfirmed, cause: cause}
	case VerdictPark:
		return w.park("outcome unknown and the network cannot be searched by marker: check by hand: " + cause)
	case VerdictRetry:
		return outcome{state: TargetScheduled, cause: cause, retriable: true, retryAt: d.RetryAt, quota: errors.Is(err, socialflow.ErrRateLimited)}
	case VerdictNotSent:
		return outcome{state: TargetScheduled, cause: "nothing sent: " + cause, retriable: true}
	case VerdictDuplicate:
		// Maybe our own earlier publish: look it up before failing.
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if found, ok := w.lookup(lctx); ok {
			return found
		}
		return outcome{state: TargetFailed, cause: cause, notice: NoticePublishFailed}
	case VerdictReconnect:
		return outcome{state: TargetFailed, cause: cause, reconnect: true, notice: NoticeReconnect}
	}
	return outcome{state: TargetFailed, cause: cause, notice: NoticePublishFailed}
}

// park is the outcome of a target left unconfirmed for a person: no next
// try, and always a notice.
func (w *work) park(cause string) outcome {
	return outcome{state: TargetUnconfirmed, parked: true, notice: NoticeUnconfirmed, cause: cause}
}

// lookup asks the network whether the target's marker was published.
func (w *work) lookup(ctx context.Context) (outcome, bool) {
	rec, found, err := w.pub.Find(ctx, w.acct, w.t().Outcome.Marker)
	if err != nil || !found {
		return outcome{}, false
	}
	return foundOutcome(rec), true
}

// foundOutcome is the outcome of a publish the network was found to hold:
// live, or still processing.
func foundOutcome(rec networks.Receipt) outcome {
	if rec.Status == networks.StatusPending {
		return outcome{state: TargetAwaiting, rec: rec}
	}
	return outcome{state: TargetPublished, rec: rec}
}

// reconcile resolves a target whose publish outcome is unknown.
func (w *work) reconcile(ctx context.Context) error {
	t := w.t()
	if t.Outcome.Marker == "" {
		// The intent was never recorded: nothing was sent.
		t.State = TargetScheduled
		return w.publish(ctx)
	}
	rec, found, err := w.pub.Find(ctx, w.acct, t.Outcome.Marker)
	switch {
	case err == nil && found:
		w.r.Reconciled++
		return w.finish(ctx, foundOutcome(rec))
	case err == nil:
		// Definitely not on the network: publishing again with the same
		// marker cannot post twice.
		w.r.Reconciled++
		t.State = TargetScheduled
		return w.publish(ctx)
	case errors.Is(err, socialflow.ErrOutcomeUnknown):
		// No Finder, or one that cannot say (a TikTok photo post): nobody
		// can tell; the person is told why.
		cause := "publish interrupted and the network cannot be searched by marker: check by hand"
		if !errors.Is(err, networks.ErrNoFinder) {
			cause = "publish interrupted and the lookup by marker cannot tell: check by hand: " + err.Error()
		}
		return w.finish(ctx, w.park(cause))
	default:
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// The lookup failed for now: try again later, still unconfirmed
		// (a rate limit is a wait for quota, not an attempt).
		o := outcome{state: TargetUnconfirmed, cause: "lookup failed: " + err.Error(), retriable: true}
		if errors.Is(err, socialflow.ErrRateLimited) {
			o.quota = true
			o.retryAt = ClassifyPublish(networks.Receipt{}, err, w.now).RetryAt
		}
		return w.finish(ctx, o)
	}
}

// check follows an asynchronous publish. The check runs under the lease
// like a publish (renewed when more than a tenth is spent, the call bounded
// by what is left less the record margin): some networks' Check is the
// write that makes the post once the media is ready (Pinterest's pin,
// Instagram's and Threads' media_publish), and its receipt exists only in
// the answer, so the answer must come back while the lease can still
// record it. A lease already lost sends nothing. A check cut short by that
// bound, or whose outcome is unknown, stays awaiting and is checked again.
func (w *work) check(ctx context.Context) error {
	t := w.t()
	rec := networks.Receipt{Network: t.Network, AccountID: w.acct.ID, ID: networks.RemoteID(t.Outcome.PendingID),
		Status: networks.StatusPending, Marker: t.Outcome.Marker}
	timeout, err := w.renew(ctx)
	if err != nil {
		return err // the lease is lost: nothing was sent; its new holder checks
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	got, err := w.pub.Check(cctx, w.acct, rec)
	w.tick()
	switch {
	case err == nil && got.Status == networks.StatusPending:
		return w.finish(ctx, outcome{state: TargetAwaiting, rec: got})
	case err == nil:
		return w.finish(ctx, outcome{state: TargetPublished, rec: got})
	case errors.Is(err, socialflow.ErrRateLimited), errors.Is(err, socialflow.ErrTransient):
		return w.finish(ctx, outcome{state: TargetAwaiting, rec: rec, cause: err.Error()})
	case ctx.Err() != nil:
		return ctx.Err() // stopping: still awaiting and due; a later step checks
	case errors.Is(err, socialflow.ErrOutcomeUnknown), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		rec.CheckAfter = time.Second
		return w.finish(ctx, outcome{state: TargetAwaiting, rec: rec, cause: "check cut short: " + err.Error()})
	default:
		return w.finish(ctx, outcome{state: TargetFailed, cause: err.Error(), notice: NoticePublishFailed})
	}
}

// finish records an outcome, updates the post's state, audits and notifies.
func (w *work) finish(ctx context.Context, o outcome) error {
	t := w.t()
	o.cause = strings.ReplaceAll(o.cause, "\n", "; ")
	t.Outcome.Cause = o.cause
	t.Outcome.Retriable = o.retriable
	switch {
	case o.quota:
		// Waiting for quota: the network refused nothing.
	case o.rec.Attempts > 0:
		t.Outcome.Attempts += o.rec.Attempts
	case o.state != TargetCancelled:
		t.Outcome.Attempts++
	}
	t.Outcome.NextTry = time.Time{}
	switch o.state {
	case TargetPublished:
		t.State = TargetPublished
		t.Outcome.RemoteID, t.Outcome.URL = string(o.rec.ID), o.rec.URL
		t.Outcome.PublishedAt = w.now
		if !o.rec.At.IsZero() {
			t.Outcome.PublishedAt = o.rec.At.UTC()
		}
		t.Outcome.PendingID = ""
		w.r.Published++
	case TargetAwaiting:
		t.State = TargetAwaiting
		t.Outcome.PendingID = string(o.rec.ID)
		wait := o.rec.CheckAfter
		if wait <= 0 {
			wait = 30 * time.Second
		}
		t.Outcome.NextTry = w.now.Add(wait)
		w.r.Awaiting++
	case TargetScheduled:
		// Never earlier than the network asked (Retry-After, reset).
		next := w.now.Add(w.d.retry(t.Outcome.Attempts))
		if o.retryAt.After(next) {
			next = o.retryAt
		}
		if o.quota && next.Sub(w.slot()) > w.d.maxLate {
			t.State = TargetFailed
			t.Outcome.Cause = fmt.Sprintf("gave up: still rate limited, the next try at %s would be more than %s after its slot at %s: %s",
				next.UTC().Format(time.RFC3339), w.d.maxLate, w.slot().UTC().Format(time.RFC3339), o.cause)
			t.Outcome.Retriable = false
			o.notice = NoticePublishFailed
			w.r.Failed++
			break
		}
		if !o.quota && t.Outcome.Attempts >= w.d.maxTries {
			t.State = TargetFailed
			t.Outcome.Cause = fmt.Sprintf("gave up after %d attempts: %s", t.Outcome.Attempts, o.cause)
			t.Outcome.Retriable = false
			o.notice = NoticePublishFailed
			w.r.Failed++
			break
		}
		t.State = TargetScheduled
		t.Outcome.NextTry = next
		w.r.Rescheduled++
	case TargetUnconfirmed:
		t.State = TargetUnconfirmed
		switch {
		case o.parked:
			// For a person: o carries the notice.
		case o.quota:
			next := w.now.Add(w.d.retry(1))
			if o.retryAt.After(next) {
				next = o.retryAt
			}
			if next.Sub(w.slot()) > w.d.maxLate {
				t.Outcome.Cause = fmt.Sprintf("gave up looking it up: still rate limited more than %s after its slot: check by hand: %s", w.d.maxLate, o.cause)
				t.Outcome.Retriable = false
				o.notice = NoticeUnconfirmed
				break
			}
			t.Outcome.NextTry = next
		case o.retriable && t.Outcome.Attempts >= w.d.maxTries:
			t.Outcome.Cause = fmt.Sprintf("gave up looking it up after %d attempts: check by hand: %s", t.Outcome.Attempts, o.cause)
			t.Outcome.Retriable = false
			o.notice = NoticeUnconfirmed
		case o.retriable:
			t.Outcome.NextTry = w.now.Add(w.d.retry(1))
		default:
			// Reconcile on the next step; reconcile() parks it for a
			// person, with a notice, when nobody can look it up.
			t.Outcome.NextTry = w.now
		}
		w.r.Unconfirmed++
	case TargetManual:
		t.State = TargetManual
		w.r.Manual++
	case TargetFailed:
		t.State = TargetFailed
		w.r.Failed++
	case TargetCancelled:
		t.State = TargetCancelled
	}
	data := map[string]string{"state": string(t.State), "marker": t.Outcome.Marker, "author": w.post.Author,
		"slot": t.At.UTC().Format(time.RFC3339Nano)}
	if o.cause != "" {
		data["cause"] = o.cause
	}
	if t.Outcome.RemoteID != "" {
		data["remote_id"] = t.Outcome.RemoteID
	}
	state := t.State // as published, before an evergreen return
	// An evergreen target comes back: its next round is booked before
	// the publish is written, so both land in one post write.
	var back *evergreenBack
	var end string
	if o.state == TargetPublished {
		back, end = w.d.svc.evergreenReturn(context.WithoutCancel(ctx), w.post, w.channel, w.now, w.knownPlan())
		if back != nil {
			back.apply(&w.post, w.channel)
		}
	}
	settle(&w.post)
	w.post.UpdatedAt = w.now
	if err := w.save(ctx); err != nil {
		if back != nil {
			w.d.svc.releaseStale(ctx, w.post.ID)
		}
		return err
	}
	actx := context.WithoutCancel(ctx)
	_ = w.d.svc.record(actx, Event{At: w.now, Workspace: w.post.Workspace, Actor: "system:" + w.d.holder,
		Action: "target." + string(state), Object: "post:" + w.post.ID + "/channel:" + w.channel, Version: w.post.Version,
		Summary: o.cause, Data: data})
	w.d.svc.recordEvergreen(actx, w.post, w.channel, "system:"+w.d.holder, w.now, back, end)
	if o.notice != "" {
		to := []string{w.post.Author}
		if w.post.Assignee != "" && w.post.Assignee != w.post.Author {
			to = append(to, w.post.Assignee)
		}
		w.d.svc.notify(context.WithoutCancel(ctx), Notice{Kind: o.notice, Workspace: w.post.Workspace, Post: w.post.ID, Channel: w.channel,
			To: to, Summary: o.cause, At: w.now})
	}
	return nil
}

// CollectMetrics fetches a metrics snapshot for every published target of
// workspace (all workspaces when empty) through the channel's Publisher.
// Targets whose fetch fails are skipped and counted in the returned error
// (joined), so one bad channel does not hide the rest.
func (d *Dispatcher) CollectMetrics(ctx context.Context, workspace string) ([]analytics.Snapshot, error) {
	posts, err := d.svc.store.ListPosts(ctx, PostQuery{Workspace: workspace, States: []State{StatePublished, StatePartial}})
	if err != nil {
		return nil, err
	}
	var out []analytics.Snapshot
	var errs []error
	for _, p := range posts {
		for _, t := range p.Targets {
			if t.State != TargetPublished {
				continue
			}
			ch, _ := d.svc.team.Channel(t.Channel)
			pub, acct, err := d.conn.Connect(ctx, ch)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			s, err := pub.Metrics(ctx, acct, networks.RemoteID(t.Outcome.RemoteID))
			if err != nil {
				errs = append(errs, fmt.Errorf("workflow: metrics of %s/%s: %w", p.ID, t.Channel, err))
				continue
			}
			s.Target = TargetKey(p.ID, t.Channel)
			out = append(out, s)
		}
	}
	return out, errors.Join(errs...)
}

// TargetKey is the identifier of one target of a post, as used in leases,
// audit objects and analytics snapshots: "post/channel".
func TargetKey(post, channel string) string { return post + "/" + channel }
