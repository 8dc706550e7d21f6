// Package instagram is the socialflow adapter for Instagram professional
// accounts (Instagram API with Facebook Login on graph.facebook.com, or
// with Instagram Login on graph.instagram.com: [WithBaseURL]), on the
// shared Graph API client [metagraph].
//
// # What the docs say
//
//   - Publishing takes two steps: POST /{ig-user-id}/media creates a
//     container (image_url, or video_url with media_type REELS; carousel
//     children with is_carousel_item, then a CAROUSEL container with
//     children), and POST /{ig-user-id}/media_publish?creation_id= publishes
//     it. GET /{ig-container-id}?fields=status_code says IN_PROGRESS,
//     FINISHED, PUBLISHED, ERROR or EXPIRED (after 24 hours).
//     https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media
//     https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-container
//   - An account may publish a limited number of posts in a moving 24-hour
//     window (50 per the media_publish reference; other sources say 25 or
//     100); GET /{ig-user-id}/content_publishing_limit gives quota_usage and
//     config.quota_total.
//     https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/content_publishing_limit
//   - Media are fetched by Meta from a public URL; images must be JPEG.
//   - There is no idempotency key.
//
// # What we chose
//
//   - Publish reads the publishing limit first: a full window is a
//     *networks.RateLimitError whose Reset is when the oldest post of the
//     window leaves it, and no container is created. Every receipt reports
//     the quota left, so the Publisher's limiter follows it.
//   - Container creation is not a write for the kit: an unpublished
//     container is invisible and expires, so a lost answer is transient and
//     Publish may be retried. media_publish is a write: a lost answer is an
//     unknown outcome.
//   - A container that is not FINISHED when Publish reads it gives a
//     StatusPending receipt whose ID is the container id. Check publishes a
//     FINISHED container, resolves a PUBLISHED one (an earlier media_publish
//     whose answer was lost) by the marker, and stays pending when its own
//     media_publish answer is lost, so it never publishes a container
//     twice.
//   - The marker travels in the caption as an invisible tag ([Tag]: U+2063
//     and 32 zero-width characters, 33 code points taken from the caption's
//     2200, see [Spec]). The Finder looks it up in the captions of the
//     account's 100 most recent media. Meta does not document whether
//     zero-width characters survive in captions; the fake keeps them.
//   - Metrics are the media insights views (as Impressions), reach, likes,
//     comments, saved and shares; one Meta does not return is absent.
//   - Stories (no caption, so no marker) and the first comment are not
//     supported yet.
package instagram
