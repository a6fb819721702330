/**
 * An uploaded media file as the gateway holds it: received once (on disk, for real uploads), handed to every
 * provider that needs it, each streaming it from there.
 */
export interface MediaUpload {
  filename: string;
  contentType: string;
  data: Blob;
}
