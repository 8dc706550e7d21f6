// Command bluesky publishes a short thread with an image to a Bluesky PDS
// through socialflow's Bluesky adapter, reads nothing but the PDS URL and
// credentials from its flags, and prints the published post's AT URI.
//
// Against the loopback PDS of .ci/peers/bluesky-pds/start.sh (state is wiped
// at each start, so let the command create its account first):
//
//	go run ./examples/bluesky -pds http://127.0.0.1:2583 -handle demo1.test -password demo-pass -create
//
// Against bsky.social, with an app password (Settings → App passwords):
//
//	go run ./examples/bluesky -pds https://bsky.social -handle you.bsky.social -password xxxx-xxxx-xxxx-xxxx
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/bluesky"
)

// config holds the command's flags.
type config struct {
	pds, handle, password, image string
	create                       bool
}

func main() {
	var c config
	flag.StringVar(&c.pds, "pds", "http://127.0.0.1:2583", "base URL of the PDS")
	flag.StringVar(&c.handle, "handle", "", "account handle, e.g. demo1.test")
	flag.StringVar(&c.password, "password", "", "app password of the account")
	flag.StringVar(&c.image, "image", "", "PNG or JPEG file to attach (default: a generated 96×48 PNG)")
	flag.BoolVar(&c.create, "create", false, "create the account first (local PDS without invite codes)")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, http.DefaultClient, c); err != nil {
		log.Fatal(err)
	}
}

// run publishes the thread and prints what it did.
func run(ctx context.Context, w io.Writer, hc *http.Client, c config) error {
	if c.handle == "" || c.password == "" {
		return errors.New("bluesky example: -handle and -password are required")
	}
	if c.create {
		if err := createAccount(ctx, hc, c); err != nil {
			return err
		}
	}
	img, mime, err := loadImage(c.image)
	if err != nil {
		return err
	}
	ad, err := bluesky.New(hc)
	if err != nil {
		return err
	}
	tok, err := ad.Login(ctx, c.pds, c.handle, c.password)
	if err != nil {
		return err
	}
	acct := networks.Account{ID: c.handle, Network: bluesky.Network, Handle: c.handle, BaseURL: c.pds,
		Tokens: ad.Refresher(c.pds).TokenSource(ctx, tok)}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(img))
	if err != nil {
		return fmt.Errorf("bluesky example: image: %w", err)
	}
	d := networks.Draft{
		Text:   "Hello from socialflow 👋 #socialflow https://example.com",
		Thread: []string{"Posted as a thread: this is the second part.", "And the third."},
		Media: []networks.MediaItem{{
			Media: assets.Media{Kind: assets.KindImage, MIME: mime, Size: int64(len(img)), Width: cfg.Width, Height: cfg.Height},
			Alt:   "socialflow example image",
			Open:  func(context.Context) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(img)), nil },
		}},
		Marker: fmt.Sprintf("example-%d", time.Now().UnixNano()),
	}
	r, err := ad.Publish(ctx, acct, d)
	var te *bluesky.ThreadError
	if errors.As(err, &te) {
		fmt.Fprintf(w, "thread stopped at part %d; published: %v\n", te.Failed, te.Published)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "published %d posts\nroot: %s\nweb:  %s\n", 1+len(d.Thread), r.ID, r.URL)
	return nil
}

// createAccount registers c.handle on the PDS with
// com.atproto.server.createAccount.
func createAccount(ctx context.Context, hc *http.Client, c config) error {
	body, _ := json.Marshal(map[string]string{
		"handle": c.handle, "password": c.password,
		"email": strings.SplitN(c.handle, ".", 2)[0] + "@example.com",
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(c.pds, "/")+"/xrpc/com.atproto.server.createAccount", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("bluesky example: createAccount: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		return fmt.Errorf("bluesky example: createAccount: HTTP %d: %s", resp.StatusCode, msg)
	}
	return nil
}

// loadImage reads path, or draws a small PNG when path is empty.
func loadImage(path string) ([]byte, string, error) {
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, "", err
		}
		return b, http.DetectContentType(b), nil
	}
	img := image.NewRGBA(image.Rect(0, 0, 96, 48))
	for x := range 96 {
		for y := range 48 {
			img.Set(x, y, color.RGBA{R: uint8(x * 2), G: 90, B: uint8(y * 5), A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, "", err
	}
	return b.Bytes(), "image/png", nil
}
