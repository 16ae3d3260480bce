/**
 * Cache keys: sha256 of the normalised request (provider, model, base URL, system, messages,
 * tools, tool choice, sampling params, trial index). `privileged` is never part of it.
 */
import { stableJson } from '../core/stable-json.js';
import { createHash } from 'node:crypto';
import { sanitizeBaseUrl } from './redact.js';
import type { ChatMessage, ChatRequest } from './types.js';

/** Which endpoint a request goes to. */
export interface RequestIdentity {
  provider: string;
  model: string;
  /** Effective base URL; stored and hashed without user info or query. */
  baseUrl?: string;
}

/** The request as hashed and stored in cache files. */
export interface NormalizedRequest {
  provider: string;
  model: string;
  baseUrl: string | null;
  system: string | null;
  messages: unknown[];
  tools: unknown[];
  toolChoice: unknown;
  params: { temperature: number | null; maxTokens: number | null; seed: number | null; responseFormat: unknown };
  trial: number;
}

function normalizeMessage(message: ChatMessage): unknown {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: message.content };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content,
        ...(message.toolCalls === undefined || message.toolCalls.length === 0
          ? {}
          : { toolCalls: message.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })) }),
      };
    case 'tool':
      return {
        role: 'tool',
        toolCallId: message.toolCallId,
        name: message.name,
        content: message.content,
        ...(message.isError === true ? { isError: true } : {}),
      };
  }
}

/** Normalises a request for hashing: defaults made explicit, `privileged` dropped. */
export function normalizeRequest(identity: RequestIdentity, request: ChatRequest): NormalizedRequest {
  const tools = (request.tools ?? []).map((t) => ({ name: t.name, description: t.description, parameters: t.parameters }));
  return {
    provider: identity.provider,
    model: identity.model,
    baseUrl: identity.baseUrl === undefined ? null : sanitizeBaseUrl(identity.baseUrl),
    system: request.system ?? null,
    messages: request.messages.map(normalizeMessage),
    tools,
    toolChoice: tools.length === 0 ? null : (request.toolChoice ?? 'auto'),
    params: {
      temperature: request.temperature ?? null,
      maxTokens: request.maxTokens ?? null,
      seed: request.seed ?? null,
      responseFormat: request.responseFormat ?? null,
    },
    trial: request.trial ?? 0,
  };
}

/** sha256 hex of the canonical JSON of the normalised request. */
export function requestKey(identity: RequestIdentity, request: ChatRequest): string {
  return hashNormalized(normalizeRequest(identity, request));
}

/** sha256 hex of an already normalised request. */
export function hashNormalized(normalized: NormalizedRequest): string {
  return createHash('sha256').update(stableJson(normalized)).digest('hex');
}

/** A one-line preview of a request's last message, for error messages (`user: "Hello…"`). */
export function lastMessagePreview(request: ChatRequest, max = 80): string {
  const last = request.messages.at(-1);
  if (last === undefined) return '(no messages)';
  let text: string;
  if (last.role === 'assistant') {
    const calls = (last.toolCalls ?? []).map((c) => c.name).join(', ');
    text = last.content ?? (calls === '' ? '' : `[calls ${calls}]`);
  } else {
    text = last.content;
  }
  const flat = text.replace(/\s+/g, ' ').trim();
  return `${last.role}: "${flat.length > max ? `${flat.slice(0, max)}…` : flat}"`;
}
