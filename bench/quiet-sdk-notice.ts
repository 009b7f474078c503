/**
 * Imported first by every benchmark: the AWS SDK pinned in package.json supports Node 20,
 * and its notice about later releases needing Node 22 would only interleave with the
 * figures (benchmark stages inherit this environment).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export {};
