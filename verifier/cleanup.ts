/** What a verify run created and has not yet removed; cleanup works from this, whatever failed. */
export interface CreatedResources {
  /** A test object written and not (yet) confirmed deleted. */
  objectKey?: string;
  /** A multipart upload created and not (yet) aborted. */
  multipart?: { key: string; uploadId: string };
}
