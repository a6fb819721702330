// Types for the part of @echogarden/speex-resampler-wasm (an Emscripten build of SpeexDSP's resampler, which ships
// no declarations) that resampler.ts uses. Pointers are byte offsets into the module's heap.
declare module '@echogarden/speex-resampler-wasm/simd' {
  export interface SpeexResamplerModule {
    /** Views of the module's memory; replaced when it grows, so read them after every allocation. */
    readonly HEAPF32: Float32Array;
    readonly HEAPU32: Uint32Array;
    readonly HEAP32: Int32Array;
    _malloc(bytes: number): number;
    _free(pointer: number): void;
    /** Returns a state pointer (0 on failure, with the error code at `errorPointer`). */
    _speex_resampler_init(channels: number, inRate: number, outRate: number, quality: number, errorPointer: number): number;
    _speex_resampler_destroy(state: number): void;
    /** In/out lengths are pointers to uint32 sample counts, updated to the samples consumed and produced. */
    _speex_resampler_process_float(state: number, channel: number, input: number, inputLength: number, output: number, outputLength: number): number;
    _speex_resampler_skip_zeros(state: number): number;
    _speex_resampler_get_input_latency(state: number): number;
    _speex_resampler_strerror(code: number): number;
  }
  const load: (moduleOverrides?: Record<string, unknown>) => Promise<SpeexResamplerModule>;
  export default load;
}
