package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/networks/mastodon"
	"github.com/socialflow/socialflow/workflow"
)

// liveWait bounds how long the live run waits for the server to notify our
// account of the second account's statuses (GoToSocial's worker creates
// notifications just after the status), polling every liveGap.
const (
	liveWait = 30 * time.Second
	liveGap  = 50 * time.Millisecond
)

// liveResult is what the live run did on the server, for a test to read
// back and clean up: our post, the second account's statuses (Theirs: its
// reply to the post, then its mention), and each of our replies with the
// item it answers.
type liveResult struct {
	Post    networks.RemoteID
	Theirs  []networks.RemoteID
	Replies []liveReply
}

// liveReply is one reply the workflow delivered.
type liveReply struct {
	Item    networks.RemoteID // the item answered
	Reply   networks.RemoteID // our status on the server
	Text    string
	Kind    networks.ItemKind
	Attempt int
}

// runLive plays the inbox against a real Mastodon or GoToSocial server in
// real time: the same workspace, settings, rules and saved replies as the
// simulated day, with the Mastodon channel connected to the server (the
// Bluesky channel stays on fakenet, quiet). The second account (token2)
// replies to our post and mentions us; the poller picks both up; cam
// claims each conversation and replies; the poller's delivery publishes
// the replies, threaded under the items.
func runLive(ctx context.Context, w io.Writer, server, token, token2 string) (liveResult, error) {
	var res liveResult
	server = strings.TrimSuffix(server, "/")
	ad, err := mastodon.NewForInstance(ctx, nil, server)
	if err != nil {
		return res, err
	}
	me, err := whoAmI(ctx, server, token)
	if err != nil {
		return res, err
	}
	clk := &clock{wall: true}
	ours := networks.Account{ID: chMasto, Network: mastodon.Network, Handle: "@" + me, BaseURL: server,
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token, TokenType: "Bearer"})}
	theirs := networks.Account{ID: "community-member", Network: mastodon.Network, BaseURL: server,
		Tokens: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token2, TokenType: "Bearer"})}
	pub, err := networks.NewPublisher(ad, networks.WithRateLimits(networks.RateLimits{}))
	if err != nil {
		return res, err
	}
	bsky := fakenet.New(fakenet.Options{Spec: networks.BlueskySpec()})
	bpub, err := networks.NewPublisher(bsky.Adapter(), networks.WithRateLimits(networks.RateLimits{}))
	if err != nil {
		return res, err
	}
	conns := &workflow.Connections{}
	conns.SetPublisher(mastodon.Network, pub)
	conns.SetAccount(chMasto, ours)
	conns.SetPublisher(networks.Bluesky, bpub)
	_, btok := bsky.Connect(chBsky)
	conns.SetAccount(chBsky, bsky.ConnectToken(chBsky, btok))

	tm, err := buildTeam(clk.Now(), mastodon.Network)
	if err != nil {
		return res, err
	}
	h, err := newHost(ctx, tm, conns, []networks.Spec{ad.Spec(), bsky.Spec()}, clk)
	if err != nil {
		return res, err
	}
	if err := h.configure(ctx); err != nil {
		return res, err
	}
	fmt.Fprintf(w, "socialflow community inbox against %s (our account @%s)\n", server, me)
	stamp := fmt.Sprintf("%d", time.Now().UnixNano())
	posts, err := h.publish(ctx, "Easter opening hours are up: see you at the counter! "+stamp)
	if err != nil {
		return res, err
	}
	res.Post = posts[chMasto]
	fmt.Fprintf(w, "mia published the post %s through the dispatcher\n", res.Post)

	// The community: the second account replies to the post and mentions us.
	reply, err := pub.Reply(ctx, theirs, networks.Incoming{ID: res.Post, Network: mastodon.Network, Author: networks.Author{Handle: "@" + me}},
		networks.Draft{Text: "do you bake sourdough on Sundays? " + stamp, Marker: "community-reply-" + stamp})
	if err != nil {
		return res, err
	}
	res.Theirs = append(res.Theirs, reply.ID)
	mention, err := pub.Publish(ctx, theirs, networks.Draft{Text: "@" + me + " are you open on Easter Monday? " + stamp, Marker: "community-mention-" + stamp})
	if err != nil {
		return res, err
	}
	res.Theirs = append(res.Theirs, mention.ID)
	fmt.Fprintf(w, "the second account replied (%s) and mentioned us (%s)\n", reply.ID, mention.ID)

	// The poller picks both up through the workflow.
	want := map[networks.RemoteID]string{
		reply.ID:   workflow.ConversationID(mastodon.Network, chMasto, string(res.Post)),
		mention.ID: workflow.ConversationID(mastodon.Network, chMasto, string(mention.ID)),
	}
	found := map[networks.RemoteID]workflow.InboxItem{}
	wctx, cancel := context.WithTimeout(ctx, liveWait)
	defer cancel()
	for len(found) < len(want) {
		r, err := h.poller.RunOnce(wctx, clk.Now())
		if err != nil {
			return res, fmt.Errorf("waiting for the server to list the second account's statuses (found %d of %d): %w", len(found), len(want), err)
		}
		for _, e := range r.Errors {
			return res, e
		}
		for id, conv := range want {
			v, err := h.svc.Conversation(ctx, "cam", conv)
			if err != nil {
				continue // not listed yet
			}
			for _, it := range v.Items {
				if it.Item.ID == id {
					found[id] = it
				}
			}
		}
		if len(found) < len(want) {
			select {
			case <-wctx.Done():
				return res, fmt.Errorf("the server listed %d of the second account's %d statuses within %s", len(found), len(want), liveWait)
			case <-time.After(liveGap):
			}
		}
	}
	for _, id := range []networks.RemoteID{reply.ID, mention.ID} {
		it := found[id]
		v, err := h.svc.Conversation(ctx, "cam", it.Conversation)
		if err != nil {
			return res, err
		}
		c := v.Conversation
		fmt.Fprintf(w, "ingested %s %s from %s: %s (%s, labels %v; %s, assignee %q)\n",
			it.Item.Kind, id, it.Item.Author.Handle, clip(it.Item.Text, 60), it.Class.Sentiment, it.Class.Labels, c.State, c.Assignee)
		// cam claims the conversation and answers it.
		if _, err := h.svc.OpenConversation(ctx, "cam", c.ID); err != nil {
			return res, err
		}
		req := workflow.ReplyRequest{Conversation: c.ID, Item: it.ID, Text: "Every Sunday from 8, fresh from the oven. " + stamp}
		if it.Item.Kind == networks.ItemMention {
			req = workflow.ReplyRequest{Conversation: c.ID, Item: it.ID, Saved: h.saved["opening-hours"],
				Values: map[string]string{"hours": "10:00-16:00 on Easter Monday (" + stamp + ")"}}
		}
		r, err := h.svc.Reply(ctx, "cam", req)
		if err != nil {
			return res, err
		}
		fmt.Fprintf(w, "cam claimed it and replied: %s (%s)\n", clip(r.Text, 80), r.State)
		res.Replies = append(res.Replies, liveReply{Item: id, Text: r.Text, Kind: it.Item.Kind})
	}

	// The next step delivers the replies.
	d, err := h.poller.RunOnce(ctx, clk.Now())
	if err != nil {
		return res, err
	}
	fmt.Fprintf(w, "delivery: %d sent, %d unconfirmed, %d failed, %d to retry\n", d.Delivery.Sent, d.Delivery.Unconfirmed, d.Delivery.Failed, d.Delivery.Retry)
	for i, lr := range res.Replies {
		it := found[lr.Item]
		v, err := h.svc.Conversation(ctx, "cam", it.Conversation)
		if err != nil {
			return res, err
		}
		for _, rp := range v.Conversation.Replies {
			if rp.Item != it.ID {
				continue
			}
			if rp.State != workflow.ReplySent {
				return res, fmt.Errorf("the reply to %s is %s: %s", lr.Item, rp.State, rp.Cause)
			}
			res.Replies[i].Reply, res.Replies[i].Attempt = rp.RemoteID, rp.Attempts
			fmt.Fprintf(w, "reply %s published under %s (conversation %s)\n", rp.RemoteID, lr.Item, v.Conversation.State)
		}
	}
	return res, nil
}

// whoAmI returns the username of token's account
// (GET /api/v1/accounts/verify_credentials): the handle the second account
// mentions.
func whoAmI(ctx context.Context, server, token string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, server+"/api/v1/accounts/verify_credentials", nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("community-inbox: %s answered %s to verify_credentials: is -token a bearer token of that server?", server, resp.Status)
	}
	var acct struct {
		Username string `json:"username"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&acct); err != nil || acct.Username == "" {
		return "", fmt.Errorf("community-inbox: verify_credentials of %s gave no username", server)
	}
	return acct.Username, nil
}
