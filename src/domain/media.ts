/** An uploaded media file as the gateway holds it: read once, handed to every provider that needs it. */
export interface MediaUpload {
  filename: string;
  contentType: string;
  data: Blob;
  /** Hex MD5 of the bytes (idempotency fingerprints). */
  md5: string;
}
