// Package assets is the content library: images, videos, GIFs, documents,
// caption snippets, saved replies and post templates, with their metadata,
// usage rights, approval for use and usage tracking.
//
// [Media] is the media metadata type that the networks package validates
// against each network's media rules.
package assets
