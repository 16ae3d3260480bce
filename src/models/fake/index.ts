/** Test helpers: fake LLM servers speaking the OpenAI and Anthropic wire formats on 127.0.0.1. */
export {
  FakeLlmServer,
  faults,
  isFault,
  lastMessageText,
  estimateTokens,
  type FakeHandler,
  type FakeReply,
  type FakeFault,
  type FakeResponse,
  type FakeToolCall,
  type RecordedRequest,
} from './fake-server.js';
export { closedPort } from './closed-port.js';
export { FakeOpenAIServer, openAIWireUsage, echoHandler as openAIEchoHandler } from './fake-openai-server.js';
export { FakeAnthropicServer, anthropicWireUsage, echoHandler as anthropicEchoHandler } from './fake-anthropic-server.js';
