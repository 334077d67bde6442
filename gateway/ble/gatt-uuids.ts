/** Bluetooth SIG assigned numbers used by the gateway (Assigned Numbers document, §3.4 and §3.8). */
export const SERVICE = {
  genericAccess: '1800',
  deviceInformation: '180a',
  battery: '180f',
  currentTime: '1805',
  bloodPressure: '1810',
  healthThermometer: '1809',
  weightScale: '181d',
  bodyComposition: '181b',
  glucose: '1808',
  pulseOximeter: '1822',
  heartRate: '180d',
} as const;

export const CHARACTERISTIC = {
  bloodPressureMeasurement: '2a35',
  intermediateCuffPressure: '2a36',
  bloodPressureFeature: '2a49',
  batteryLevel: '2a19',
  currentTime: '2a2b',
  systemId: '2a23',
  modelNumber: '2a24',
  serialNumber: '2a25',
  firmwareRevision: '2a26',
  manufacturerName: '2a29',
  temperatureMeasurement: '2a1c',
  intermediateTemperature: '2a1e',
  weightMeasurement: '2a9d',
  weightScaleFeature: '2a9e',
  bodyCompositionMeasurement: '2a9c',
  glucoseMeasurement: '2a18',
  glucoseMeasurementContext: '2a34',
  glucoseFeature: '2a51',
  recordAccessControlPoint: '2a52',
  plxSpotCheckMeasurement: '2a5e',
  plxContinuousMeasurement: '2a5f',
  heartRateMeasurement: '2a37',
} as const;

/** Services that mark a device as a health device worth scanning for. */
export const HEALTH_SERVICES: readonly string[] = [
  SERVICE.bloodPressure,
  SERVICE.healthThermometer,
  SERVICE.weightScale,
  SERVICE.bodyComposition,
  SERVICE.glucose,
  SERVICE.pulseOximeter,
  SERVICE.heartRate,
];
