/**
 * dcmjs ships no type declarations. This types the parts Crossview uses; extend it here (one
 * file for the whole project) rather than declaring the module again elsewhere.
 */
declare module 'dcmjs' {
  type NaturalDataset = Record<string, unknown>;
  type DenaturalDataset = Record<string, { vr: string; Value?: unknown[]; BulkDataURI?: string; InlineBinary?: string }>;

  interface DicomDictInstance {
    meta: DenaturalDataset;
    dict: DenaturalDataset;
    write(options?: { allowInvalidVRLength?: boolean; fragmentMultiframe?: boolean }): ArrayBuffer;
  }

  interface DicomMessageStatic {
    readFile(
      buffer: ArrayBuffer,
      options?: { ignoreErrors?: boolean; untilTag?: string; includeUntilTagValue?: boolean; noCopy?: boolean; forceStoreRaw?: boolean },
    ): DicomDictInstance;
  }

  interface DicomMetaDictionaryStatic {
    naturalizeDataset(dataset: DenaturalDataset): NaturalDataset;
    denaturalizeDataset(dataset: NaturalDataset): DenaturalDataset;
    uid(): string;
    date(): string;
    time(): string;
    punctuateTag(rawTag: string): string;
    unpunctuateTag(tag: string): string;
    dictionary: Record<string, { tag: string; vr: string; name: string; vm: string; version: string }>;
    nameMap: Record<string, { tag: string; vr: string; name: string; vm: string; version: string }>;
  }

  const dcmjs: {
    data: {
      DicomDict: new (meta: DenaturalDataset) => DicomDictInstance;
      DicomMessage: DicomMessageStatic;
      DicomMetaDictionary: DicomMetaDictionaryStatic;
      datasetToBlob(dataset: NaturalDataset): Blob;
      datasetToBuffer(dataset: NaturalDataset): ArrayBuffer;
    };
    log: { setLevel(level: string): void; level?: unknown };
  };
  export default dcmjs;
}
