// Command community-inbox plays one community manager's day through
// socialflow's public API, as a host product would: the community inbox of a
// bakery's two channels, from what arrives on the networks to the day's
// report.
//
// By default it runs on embedded defaults (memstore, fakenet with
// Mastodon's and Bluesky's specs, a simulated clock) and its output is
// deterministic for a given -seed:
//
//   - a workspace with two channels and a community team: cam on duty by a
//     rota in Europe/Oslo, dee covering cam's turns after 13:00, kim
//     restricted to the Bluesky channel, max (manager) approving replies to
//     complaints; assignment rules as JSON; saved replies with placeholders;
//     an approval policy for replies to items labelled complaint;
//   - traffic: scripted items through fakenet's Arrive (a question, a
//     complaint, a webhook delivering an item twice, spam, hostile text, a
//     surge of negative items) on top of seeded random traffic;
//   - the day: the inbox poller ingests and assigns; cam opens a
//     conversation and dee, opening it meanwhile, gets the typed conflict
//     naming cam and since when; cam answers from a saved reply; the reply
//     to the complaint waits for max's approval and is then delivered
//     exactly once although the network loses its answer; a complaint is
//     handed off to customer service; the surge trips the alert and pauses
//     publishing; the day ends with the inbox report (first-response median
//     and p90 per channel and member, SLA breaches, volume, workload).
//
// With -mastodon, -token and -token2 it runs against a real Mastodon or
// GoToSocial server instead, in real time: the second account replies to
// the post the first one publishes and mentions it, the poller picks both
// up through the workflow, cam claims them and replies, and the delivery
// publishes the replies threaded under the items.
//
//	go run ./examples/community-inbox [-seed N]
//	go run ./examples/community-inbox -mastodon URL -token T -token2 T2
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
)

func main() {
	seed := flag.Uint64("seed", 1, "seed of the simulated day's random traffic")
	server := flag.String("mastodon", "", "base URL of a real Mastodon or GoToSocial server (instead of the simulated day)")
	token := flag.String("token", "", "with -mastodon: the bearer token of our account (scopes read write)")
	token2 := flag.String("token2", "", "with -mastodon: the bearer token of a second account, the community member")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, options{seed: *seed, server: *server, token: *token, token2: *token2}); err != nil {
		log.Fatal(err)
	}
}

// options are the command's flags.
type options struct {
	seed                  uint64
	server, token, token2 string
}

// run plays the simulated day, or the live run with a server.
func run(ctx context.Context, w io.Writer, o options) error {
	if o.server == "" {
		if o.token != "" || o.token2 != "" {
			return fmt.Errorf("community-inbox: -token and -token2 need -mastodon URL")
		}
		_, err := runDay(ctx, w, o.seed)
		return err
	}
	if o.token == "" || o.token2 == "" {
		return fmt.Errorf("community-inbox: -mastodon needs -token (our account) and -token2 (a second account)")
	}
	_, err := runLive(ctx, w, o.server, o.token, o.token2)
	return err
}
