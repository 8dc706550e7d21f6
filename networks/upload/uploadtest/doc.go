// Package uploadtest is the test support of the video-upload figures: what
// a test needs to show that an adapter uploads a large file through a
// connection that drops, streaming it without holding it.
//
//   - [Source]: a generated file of any size, opened as often as the
//     adapter likes (a networks.MediaItem's Open), optionally seekable, that
//     counts its openings and the bytes read from it and knows its own
//     checksums (the CRC-32C the YouTube, TikTok and Pinterest fakes record,
//     the SHA-256 the Graph API fake records);
//   - [Cutter]: an HTTP client whose connections count the bytes they write
//     and are cut at given byte thresholds, counted over every connection
//     ([Total], a resumable upload) or on the connection itself
//     ([PerConnection], an upload that restarts from its first byte);
//   - [HeapPeak]: the highest heap a Source saw while it was read, sampled
//     every [SampleEvery] bytes, so a test can bound the memory an upload
//     holds.
//
// Each network's figure test keeps its own server, draft and assertions;
// only this machinery is shared.
package uploadtest
