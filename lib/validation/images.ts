import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

// A container image reference (registry/path:tag@digest), lower-case repository.
const IMAGE = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/**
 * Throws unless `image` is an image reference pinned to a tag other than `latest`, or to a digest: what runs
 * must not change under the same manifest. `why` ends the message (what the pin protects).
 */
export function checkPinnedImage(where: IConstruct | string, prop: string, image: string, why = 'what runs must not change under the same manifest'): string {
  if (typeof image !== 'string' || image.trim() === '') throw invalidProp(where, prop, image, 'is required: a container image reference');
  if (!IMAGE.test(image)) throw invalidProp(where, prop, image, 'must be an image reference such as "123456789012.dkr.ecr.eu-west-1.amazonaws.com/etl:1.4.2"');
  const lastSegment = image.split('/').pop()!;
  if (!image.includes('@sha256:') && (!lastSegment.includes(':') || lastSegment.endsWith(':latest'))) {
    throw invalidProp(where, prop, image, `must pin a tag other than "latest" or a digest: ${why}`);
  }
  return image;
}

/**
 * Checks a pinned image given by tag and splits it into the `repository` and `tag` fields operators take
 * (which cannot express a digest).
 */
export function checkTaggedImage(where: IConstruct | string, prop: string, image: string): { repository: string; tag: string } {
  checkPinnedImage(where, prop, image);
  if (image.includes('@')) throw invalidProp(where, prop, image, 'must pin a tag, not a digest: the operator takes the image as repository and tag');
  const colon = image.lastIndexOf(':');
  return { repository: image.slice(0, colon), tag: image.slice(colon + 1) };
}
