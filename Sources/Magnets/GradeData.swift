// The built-in grade catalogue: a verbatim copy of ../shared/domain/magnet-grades.csv
// (Lodestone domain notes, magnets research, 2026), provenance columns included.
// Regenerate by pasting the shared file between the delimiters; `GradeCatalogTests` checks
// the row count and a few rows against the published tables quoted in magnets.md.

extension GradeCatalog {
  /// The shared grade table as CSV text (units in the column names).
  public static let builtInCSV: String = #"""
grade,hcj_class,br_min_T,br_max_T,bhmax_min_kJ_m3,bhmax_max_kJ_m3,hcj_min_kA_m,hcb_min_kA_m,hcb_est_linear_kA_m,tw_max_C,alpha_Br_pct_per_K,beta_HcJ_pct_per_K_typ,beta_HcJ_range,dy_wt_pct_indicative_bulk,source_br_bhmax,source_coefficients,note
N35,N,1.17,1.22,263,287,955,868,887,80,-0.12,-0.7,-0.62..-0.76,0-0.5,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold grade summary (N: -0.12/-0.618..-0.75); Shanghai Magnet table (-0.12/-0.76),
N38,N,1.22,1.25,287,310,955,899,925,80,-0.12,-0.7,-0.62..-0.76,0-0.5,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold grade summary (N: -0.12/-0.618..-0.75); Shanghai Magnet table (-0.12/-0.76),
N40,N,1.25,1.28,302,326,955,907,947,80,-0.12,-0.7,-0.62..-0.76,0-0.5,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold grade summary (N: -0.12/-0.618..-0.75); Shanghai Magnet table (-0.12/-0.76),
N42,N,1.28,1.32,318,342,955,915,970,80,-0.12,-0.7,-0.62..-0.76,0-0.5,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold grade summary (N: -0.12/-0.618..-0.75); Shanghai Magnet table (-0.12/-0.76),
N45,N,1.32,1.38,342,366,955,923,1000,80,-0.12,-0.7,-0.62..-0.76,0-0.5,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold grade summary (N: -0.12/-0.618..-0.75); Shanghai Magnet table (-0.12/-0.76),
N48,N,1.38,1.42,366,390,955,923,1046,80,-0.12,-0.7,-0.62..-0.76,0-0.5,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold grade summary (N: -0.12/-0.618..-0.75); Shanghai Magnet table (-0.12/-0.76),
N50,N,1.4,1.45,382,406,876,796,1061,80,-0.12,-0.7,-0.62..-0.76,0-0.5,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold grade summary (N: -0.12/-0.618..-0.75); Shanghai Magnet table (-0.12/-0.76),N50-N55 often rated 60-70 C and HcJ >= 876 kA/m
N52,N,1.43,1.48,398,422,876,796,1084,80,-0.12,-0.7,-0.62..-0.76,0-0.5,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold grade summary (N: -0.12/-0.618..-0.75); Shanghai Magnet table (-0.12/-0.76),N50-N55 often rated 60-70 C and HcJ >= 876 kA/m
N55,N,1.47,1.52,414,438,876,860,1114,80,-0.12,-0.7,-0.62..-0.76,0-0.5,vormagelectronics.com / nblihe.com N55,Arnold grade summary (N: -0.12/-0.618..-0.75); Shanghai Magnet table (-0.12/-0.76),N50-N55 often rated 60-70 C and HcJ >= 876 kA/m
N35M,M,1.17,1.22,263,287,1114,868,887,100,-0.12,-0.68,-0.675..-0.70,0.5-1.5,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold (-0.12/-0.675); Shanghai Magnet (-0.12/-0.68),
N38M,M,1.22,1.25,287,310,1114,899,925,100,-0.12,-0.68,-0.675..-0.70,0.5-1.5,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold (-0.12/-0.675); Shanghai Magnet (-0.12/-0.68),
N40M,M,1.25,1.28,302,326,1114,923,947,100,-0.12,-0.68,-0.675..-0.70,0.5-1.5,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold (-0.12/-0.675); Shanghai Magnet (-0.12/-0.68),
N42M,M,1.28,1.32,318,342,1114,955,970,100,-0.12,-0.68,-0.675..-0.70,0.5-1.5,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold (-0.12/-0.675); Shanghai Magnet (-0.12/-0.68),
N45M,M,1.32,1.38,342,366,1114,955,1000,100,-0.12,-0.68,-0.675..-0.70,0.5-1.5,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold (-0.12/-0.675); Shanghai Magnet (-0.12/-0.68),
N48M,M,1.38,1.42,366,390,1114,1027,1046,100,-0.12,-0.68,-0.675..-0.70,0.5-1.5,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold (-0.12/-0.675); Shanghai Magnet (-0.12/-0.68),
N50M,M,1.4,1.45,382,406,1114,1033,1061,100,-0.12,-0.68,-0.675..-0.70,0.5-1.5,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold (-0.12/-0.675); Shanghai Magnet (-0.12/-0.68),
N35H,H,1.17,1.22,263,287,1353,868,887,120,-0.12,-0.6,-0.58..-0.62,1.5-3,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold (-0.12/-0.605),
N38H,H,1.22,1.25,287,310,1353,899,925,120,-0.12,-0.6,-0.58..-0.62,1.5-3,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold (-0.12/-0.605),
N40H,H,1.25,1.28,302,326,1353,923,947,120,-0.12,-0.6,-0.58..-0.62,1.5-3,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold (-0.12/-0.605),
N42H,H,1.28,1.32,318,342,1353,955,970,120,-0.12,-0.6,-0.58..-0.62,1.5-3,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold (-0.12/-0.605),
N45H,H,1.32,1.38,342,366,1353,963,1000,120,-0.12,-0.6,-0.58..-0.62,1.5-3,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold (-0.12/-0.605),
N48H,H,1.38,1.42,366,390,1353,955,1046,120,-0.12,-0.6,-0.58..-0.62,1.5-3,chinamagnetfactory.com / magnetexpert.com grade tables,Arnold (-0.12/-0.605),
N35SH,SH,1.17,1.22,263,287,1592,,887,150,-0.11,-0.55,-0.50..-0.58,3-5,chinamagnetfactory.com / magnetexpert.com grade tables,"indicative vendor value, not verified this session",
N38SH,SH,1.22,1.25,287,310,1592,,925,150,-0.11,-0.55,-0.50..-0.58,3-5,chinamagnetfactory.com / magnetexpert.com grade tables,"indicative vendor value, not verified this session",
N40SH,SH,1.25,1.28,302,326,1592,,947,150,-0.11,-0.55,-0.50..-0.58,3-5,chinamagnetfactory.com / magnetexpert.com grade tables,"indicative vendor value, not verified this session",
N42SH,SH,1.28,1.32,318,342,1592,,970,150,-0.11,-0.55,-0.50..-0.58,3-5,chinamagnetfactory.com / magnetexpert.com grade tables,"indicative vendor value, not verified this session",
N45SH,SH,1.32,1.38,342,366,1592,,1000,150,-0.11,-0.55,-0.50..-0.58,3-5,chinamagnetfactory.com / magnetexpert.com grade tables,"indicative vendor value, not verified this session",
N28UH,UH,1.04,1.08,207,231,1990,,788,180,-0.11,-0.5,-0.45..-0.51,5-7,"pattern (UH/EH/AH tables, not re-verified)","indicative vendor value, not verified this session",
N30UH,UH,1.08,1.13,223,247,1990,,819,180,-0.11,-0.5,-0.45..-0.51,5-7,vormagelectronics.com N30,"indicative vendor value, not verified this session",
N33UH,UH,1.13,1.17,247,263,1990,,856,180,-0.11,-0.5,-0.45..-0.51,5-7,chinamagnetfactory.com / magnetexpert.com grade tables,"indicative vendor value, not verified this session",
N35UH,UH,1.17,1.22,263,287,1990,,887,180,-0.11,-0.5,-0.45..-0.51,5-7,chinamagnetfactory.com / magnetexpert.com grade tables,"indicative vendor value, not verified this session",
N38UH,UH,1.22,1.25,287,310,1990,,925,180,-0.11,-0.5,-0.45..-0.51,5-7,chinamagnetfactory.com / magnetexpert.com grade tables,"indicative vendor value, not verified this session",
N40UH,UH,1.25,1.28,302,326,1990,,947,180,-0.11,-0.5,-0.45..-0.51,5-7,chinamagnetfactory.com / magnetexpert.com grade tables,"indicative vendor value, not verified this session",
N28EH,EH,1.04,1.08,207,231,2388,,788,200,-0.105,-0.47,-0.42..-0.50,7-9,"pattern (UH/EH/AH tables, not re-verified)","indicative vendor value, not verified this session",
N30EH,EH,1.08,1.13,223,247,2388,,819,200,-0.105,-0.47,-0.42..-0.50,7-9,vormagelectronics.com N30,"indicative vendor value, not verified this session",
N33EH,EH,1.13,1.17,247,263,2388,,856,200,-0.105,-0.47,-0.42..-0.50,7-9,chinamagnetfactory.com / magnetexpert.com grade tables,"indicative vendor value, not verified this session",
N35EH,EH,1.17,1.22,263,287,2388,,887,200,-0.105,-0.47,-0.42..-0.50,7-9,chinamagnetfactory.com / magnetexpert.com grade tables,"indicative vendor value, not verified this session",
N38EH,EH,1.22,1.25,287,310,2388,,925,200,-0.105,-0.47,-0.42..-0.50,7-9,chinamagnetfactory.com / magnetexpert.com grade tables,"indicative vendor value, not verified this session",
N28AH,AH,1.04,1.08,207,231,2786,,788,230,-0.1,-0.45,-0.40..-0.47,9-11,"pattern (UH/EH/AH tables, not re-verified)","indicative vendor value, not verified this session",
N30AH,AH,1.08,1.13,223,247,2786,,819,230,-0.1,-0.45,-0.40..-0.47,9-11,vormagelectronics.com N30,"indicative vendor value, not verified this session",
N33AH,AH,1.13,1.17,247,263,2786,,856,230,-0.1,-0.45,-0.40..-0.47,9-11,chinamagnetfactory.com / magnetexpert.com grade tables,"indicative vendor value, not verified this session",
"SmCo5 (1:5), typical",SmCo5,0.84,0.97,135,183,1194,647,,250,-0.045,-0.3,-0.25..-0.30 (indicative),0,"FEMM SmCo properties page (SmCo18..SmCo24); advancedmagnets.com (HcJ classes >=15 kOe, H >=23 kOe)","magnetsales.com SmCo table (alpha -0.043 %/K, -100..+100 C; Tc 750 C; max service 250 C)","Tc ~750 C; mu_rec ~1.03-1.05; HcB is the FEMM typical lower end (647-752), not a guaranteed minimum"
"Sm2Co17 (2:17), typical",Sm2Co17,1.01,1.17,183,247,1433,728,,350,-0.03,-0.2,-0.15..-0.30 (indicative),0,"FEMM SmCo properties page (SmCo24..SmCo32); advancedmagnets.com HcJ classes L>=8, M>=12, std>=18, H>=25 kOe","magnetsales.com SmCo table (alpha -0.03 %/K, Tc 825 C, max service 300-350 C)","low-HcJ 2:17 grades (8-12 kOe) exist; Tc ~825 C; HcB is the FEMM typical lower end (728-845), not a guaranteed minimum"
"""#
}
