/**
 * Imported first. A browser started with a POSIX locale (LANG=C on Linux) reports `navigator.language` as e.g.
 * "en-US@posix", which Intl refuses; uPlot formats numbers with that tag when it loads and would throw before
 * anything shows. Such a tag is replaced by its valid part, here only.
 */
function validTag(tag: string): boolean {
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag]).length > 0;
  } catch {
    return false;
  }
}

if (!validTag(navigator.language)) {
  const fallback = navigator.language.split(/[@.]/)[0] ?? '';
  Object.defineProperty(navigator, 'language', { value: validTag(fallback) ? fallback : 'en-US', configurable: true });
}
