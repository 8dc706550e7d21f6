package metagraph

import "fmt"

// String describes the client without its app secret, so that printing it
// (or an adapter struct holding it) with any verb is safe.
func (c *Client) String() string {
	proof := "off"
	if c.cfg.AppSecret != "" {
		proof = "on"
	}
	return fmt.Sprintf("metagraph.Client{network:%q base:%q version:%q appsecret_proof:%s}", c.cfg.Network, c.cfg.BaseURL, c.cfg.Version, proof)
}

// GoString is String, so %#v never prints the app secret.
func (c *Client) GoString() string { return c.String() }

// String describes the configuration without its app secret, so that
// printing it with any verb is safe.
func (c Config) String() string {
	proof := "off"
	if c.AppSecret != "" {
		proof = "on"
	}
	return fmt.Sprintf("metagraph.Config{network:%q base:%q version:%q appsecret_proof:%s}", c.Network, c.BaseURL, c.Version, proof)
}

// GoString is String, so %#v never prints the app secret.
func (c Config) GoString() string { return c.String() }
